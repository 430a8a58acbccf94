package io.jenkins.plugins.immutabledeployment;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Low-level failures (files, JSON, the network) in the words a person reads in a message: never a Java class
 * name, never the content of what was read (a file may hold secrets; JSON errors say where, not what).
 */
public final class Problems {

    private Problems() {}

    /** What went wrong, e.g. {@code no such file}, {@code not valid JSON (line 3, column 1)}, {@code unknown host}. */
    public static String describe(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            String words = words(cause);
            if (words != null) {
                return words;
            }
        }
        String message = failure.getMessage();
        return message == null || message.isBlank() ? "an unexplained input/output error" : message;
    }

    private static String words(Throwable cause) {
        if (cause instanceof NoSuchFileException) {
            return "no such file";
        }
        if (cause instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (cause instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (cause instanceof FileSystemException file && file.getReason() != null) {
            return file.getReason().toLowerCase(java.util.Locale.ROOT);
        }
        if (cause instanceof JsonProcessingException json) {
            JsonLocation at = json.getLocation();
            return "not valid JSON" + (at == null || at.getLineNr() < 1 ? "" : " (line " + at.getLineNr() + ", column "
                    + at.getColumnNr() + ")");
        }
        if (cause instanceof UnresolvedAddressException || cause instanceof UnknownHostException) {
            return "unknown host" + (cause.getMessage() == null ? "" : " " + cause.getMessage());
        }
        if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
            return "connection refused";
        }
        if (cause instanceof HttpTimeoutException || cause instanceof SocketTimeoutException) {
            return "timed out";
        }
        if (cause instanceof EOFException) {
            return "ended too early";
        }
        return null;
    }
}
