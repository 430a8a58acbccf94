package io.jenkins.plugins.immutabledeployment.testing.kube;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on a loopback port in front of the mock server, for a client whose connections a test must cut: {@link
 * #dropAll()} closes every connection through it at once (requests in flight fail, watches end and are reconnected by
 * the client). Two threads per connection copy the bytes; a test fixture, not for production.
 */
public final class ConnectionRelay implements AutoCloseable {

    private final ServerSocket listener;
    private final int upstreamPort;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger dropped = new AtomicInteger();
    private final Thread acceptor;

    public ConnectionRelay(int upstreamPort) {
        this.upstreamPort = upstreamPort;
        try {
            this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.acceptor = daemon("relay-accept", this::accept);
    }

    /** {@code http://127.0.0.1:PORT}: the API server URL for a client that goes through the relay. */
    public String url() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    /** Cuts every connection now; new ones are relayed as before. */
    public void dropAll() {
        for (Socket socket : open) {
            closeQuietly(socket);
            dropped.incrementAndGet();
        }
        open.clear();
    }

    /** How many connections {@link #dropAll()} cut. */
    public int dropped() {
        return dropped.get();
    }

    @Override
    public void close() {
        closeQuietly(listener);
        dropAll();
        acceptor.interrupt();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                open.add(client);
                open.add(server);
                daemon("relay-up", () -> pump(client, server));
                daemon("relay-down", () -> pump(server, client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // cut by dropAll() or by either end
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static Thread daemon(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // already closed
        }
    }
}
