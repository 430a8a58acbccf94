package io.jenkins.plugins.immutabledeployment.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A TCP relay on loopback in front of a real registry that passes answers through but stops passing a
 * connection's requests on after {@code stallAfter} bytes, as a link that hangs mid-upload: the client is left
 * waiting for as long as the test wants.
 */
final class StallingRelay implements AutoCloseable {

    private final ServerSocket server;
    private final InetSocketAddress upstream;
    private final long stallAfter;
    private final CountDownLatch stalled = new CountDownLatch(1);
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    StallingRelay(String upstreamHost, long stallAfter) throws IOException {
        int colon = upstreamHost.lastIndexOf(':');
        this.upstream = new InetSocketAddress(upstreamHost.substring(0, colon), Integer.parseInt(upstreamHost.substring(colon + 1)));
        this.stallAfter = stallAfter;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon(this::accept, "relay-accept");
    }

    /** {@code 127.0.0.1:PORT}, for image references. */
    String host() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** Waits until a connection has stalled. */
    void awaitStall(long seconds) throws InterruptedException {
        if (!stalled.await(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("no upload reached " + stallAfter + " bytes within " + seconds + " s");
        }
    }

    private void accept() {
        try {
            while (true) {
                Socket client = server.accept();
                Socket registry = new Socket(upstream.getAddress(), upstream.getPort());
                sockets.addAll(List.of(client, registry));
                daemon(() -> pump(client.getInputStream(), registry.getOutputStream(), stallAfter), "relay-up");
                daemon(() -> pump(registry.getInputStream(), client.getOutputStream(), Long.MAX_VALUE), "relay-down");
            }
        } catch (IOException closed) {
            // The relay was closed.
        }
    }

    private void pump(InputStream in, OutputStream out, long limit) {
        byte[] buffer = new byte[8192];
        long passed = 0;
        try (in; out) {
            for (int n; (n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - passed))) > 0; ) {
                out.write(buffer, 0, n);
                out.flush();
                passed += n;
                if (passed >= limit) {
                    stalled.countDown();
                    in.transferTo(OutputStream.nullOutputStream()); // read on, pass nothing: the link hangs
                }
            }
        } catch (IOException closed) {
            // Either side went away.
        }
    }

    private static void daemon(IoRunnable body, String name) {
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (IOException e) {
                // The connection ended.
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    private interface IoRunnable {
        void run() throws IOException;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
