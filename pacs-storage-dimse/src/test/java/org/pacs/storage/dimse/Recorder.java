package org.pacs.storage.dimse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A one-connection TCP relay on 127.0.0.1 that records what the client sends: the fuzz test's seeds are real DCMTK
 * associations, not ones we composed ourselves.
 */
final class Recorder implements AutoCloseable {

    private final ServerSocket listen;
    private final ByteArrayOutputStream clientBytes = new ByteArrayOutputStream();
    private final Thread relay;

    Recorder(int targetPort) throws IOException {
        listen = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        relay = new Thread(() -> {
            try (Socket client = listen.accept(); Socket server = new Socket("127.0.0.1", targetPort)) {
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                Thread back = new Thread(() -> pump(server, client, null));
                back.start();
                pump(client, server, clientBytes);
                back.join();
            } catch (IOException | InterruptedException e) {
                // the recording ends with the connection
            }
        }, "recorder");
        relay.start();
    }

    int port() {
        return listen.getLocalPort();
    }

    private static void pump(Socket from, Socket to, ByteArrayOutputStream copy) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] b = new byte[16384];
            for (int n; (n = in.read(b)) > 0; ) {
                if (copy != null) {
                    synchronized (copy) {
                        copy.write(b, 0, n);
                    }
                }
                out.write(b, 0, n);
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // one side closed
        }
    }

    /** Waits for the relayed connection to end and returns what the client sent. */
    byte[] clientBytes() throws InterruptedException {
        relay.join(60_000);
        synchronized (clientBytes) {
            return clientBytes.toByteArray();
        }
    }

    @Override
    public void close() throws IOException {
        listen.close();
    }
}
