package io.jenkins.plugins.immutabledeployment.oci;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where each file of an uncompressed tar starts and how long it is, found by reading the headers only (content
 * is skipped), so that files can later be streamed straight from the tar. Understands ustar, PAX ({@code path},
 * {@code size}, {@code linkpath}) and GNU long names; follows hard and symbolic links between files.
 */
final class TarIndex {

    record Entry(long offset, long size) {}

    private static final int BLOCK = 512;
    private static final int MAX_LINK_HOPS = 16;

    private final Map<String, Entry> files = new HashMap<>();
    private final Map<String, String> links = new HashMap<>();
    private final java.util.Set<String> symlinks = new java.util.HashSet<>();

    private TarIndex() {}

    /** Returns empty when the file does not start with a valid tar header. */
    static Optional<TarIndex> read(Path tar) throws IOException {
        TarIndex index = new TarIndex();
        try (FileChannel channel = FileChannel.open(tar, StandardOpenOption.READ)) {
            long length = channel.size();
            long position = 0;
            String longName = null;
            String longLink = null;
            Map<String, String> pax = Map.of();
            boolean first = true;
            ByteBuffer header = ByteBuffer.allocate(BLOCK);
            while (position + BLOCK <= length) {
                header.clear();
                readFully(channel, header, position);
                byte[] block = header.array();
                if (isZero(block)) {
                    break;
                }
                if (!checksumValid(block)) {
                    if (first) {
                        return Optional.empty();
                    }
                    throw new IOException("corrupt tar header at byte " + position);
                }
                first = false;
                char type = (char) block[156];
                long size = pax.containsKey("size") ? Long.parseLong(pax.get("size")) : size(block);
                long data = position + BLOCK;
                if (data + size > length) {
                    throw new IOException("tar entry at byte " + position + " runs past the end of the file");
                }
                switch (type) {
                    case 'x' -> pax = readPax(channel, data, size);
                    case 'g' -> { /* global PAX headers carry nothing this index needs */ }
                    case 'L' -> longName = readString(channel, data, size);
                    case 'K' -> longLink = readString(channel, data, size);
                    default -> {
                        String rawName = pax.getOrDefault("path", longName != null ? longName : name(block));
                        if (climbs(rawName)) {
                            throw new IOException("the tar entry \"" + rawName + "\" has a .. in its path; an image"
                                    + " archive's entries stay inside it");
                        }
                        String name = normalise(rawName);
                        String link = pax.getOrDefault("linkpath", longLink != null ? longLink : field(block, 157, 100));
                        if (type == '0' || type == '\0' || type == '7') {
                            index.files.put(name, new Entry(data, size));
                        } else if (type == '1') {
                            index.links.put(name, normalise(link));
                        } else if (type == '2') {
                            index.links.put(name, resolveRelative(name, link));
                            index.symlinks.add(name);
                        }
                        longName = null;
                        longLink = null;
                        pax = Map.of();
                    }
                }
                position = data + (size + BLOCK - 1) / BLOCK * BLOCK;
            }
        }
        return Optional.of(index);
    }

    Optional<Entry> find(String path) {
        String name = normalise(path);
        for (int hop = 0; hop < MAX_LINK_HOPS; hop++) {
            Entry entry = files.get(name);
            if (entry != null) {
                return Optional.of(entry);
            }
            String target = links.get(name);
            if (target == null) {
                return Optional.empty();
            }
            name = target;
        }
        return Optional.empty();
    }

    /** Whether the entry {@code path} (as written in the tar) is a symbolic link. */
    boolean isSymbolicLink(String path) {
        return symlinks.contains(normalise(path));
    }

    private static boolean climbs(String path) {
        for (String part : path.split("/")) {
            if (part.equals("..")) {
                return true;
            }
        }
        return false;
    }

    private static String name(byte[] block) {
        String name = field(block, 0, 100);
        boolean ustar = "ustar\0".equals(new String(block, 257, 6, StandardCharsets.US_ASCII));
        String prefix = ustar ? field(block, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private static long size(byte[] block) {
        if ((block[124] & 0x80) != 0) {
            long value = 0;
            for (int i = 125; i < 136; i++) {
                value = value << 8 | (block[i] & 0xff);
            }
            return value;
        }
        String octal = field(block, 124, 12).trim();
        return octal.isEmpty() ? 0 : Long.parseLong(octal, 8);
    }

    private static boolean checksumValid(byte[] block) {
        String stored = field(block, 148, 8).trim();
        if (stored.isEmpty()) {
            return false;
        }
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += i >= 148 && i < 156 ? ' ' : block[i] & 0xff;
        }
        try {
            return Long.parseLong(stored, 8) == sum;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static Map<String, String> readPax(FileChannel channel, long offset, long size) throws IOException {
        Map<String, String> records = new HashMap<>();
        String text = readString(channel, offset, size);
        int position = 0;
        while (position < text.length()) {
            int space = text.indexOf(' ', position);
            if (space < 0) {
                break;
            }
            int length = Integer.parseInt(text.substring(position, space));
            String record = text.substring(space + 1, Math.min(text.length(), position + length - 1));
            int equals = record.indexOf('=');
            if (equals > 0) {
                records.put(record.substring(0, equals), record.substring(equals + 1));
            }
            position += length;
        }
        return records;
    }

    private static String readString(FileChannel channel, long offset, long size) throws IOException {
        if (size > 1 << 20) {
            throw new IOException("tar extended header of " + size + " bytes is implausibly large");
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) size);
        readFully(channel, buffer, offset);
        String text = new String(buffer.array(), StandardCharsets.UTF_8);
        int nul = text.indexOf('\0');
        return nul >= 0 ? text.substring(0, nul) : text;
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new IOException("unexpected end of tar file");
            }
            at += n;
        }
    }

    private static String field(byte[] block, int offset, int length) {
        int end = offset;
        while (end < offset + length && block[end] != 0) {
            end++;
        }
        return new String(block, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static String resolveRelative(String name, String link) {
        if (link.startsWith("/")) {
            return normalise(link);
        }
        int slash = name.lastIndexOf('/');
        return normalise((slash < 0 ? "" : name.substring(0, slash + 1)) + link);
    }

    /** Archive paths without {@code ./}, leading or doubled slashes, and with {@code ..} applied. */
    static String normalise(String path) {
        java.util.Deque<String> parts = new java.util.ArrayDeque<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(part);
            }
        }
        return String.join("/", parts);
    }
}
