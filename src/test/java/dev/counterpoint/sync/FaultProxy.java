package dev.counterpoint.sync;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback between a terminal and head office that breaks connections on purpose: before the
 * request reaches the office, after the office has answered (so it committed) but before the terminal sees a
 * byte, or part-way through the reply. Each connection carries one request ("Connection: close" is added). Given
 * several head-office nodes, it sends each connection to the next in turn, as a load balancer does.
 */
final class FaultProxy implements AutoCloseable {
    enum Fault { PASS, CUT_BEFORE_REQUEST, CUT_AFTER_COMMIT, CUT_MID_RESPONSE }

    private final int[] upstreamPorts;
    private final AtomicInteger[] served;
    private final AtomicInteger nextUpstream = new AtomicInteger();
    private final Random random;
    private final double faultRate;
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fault-proxy");
        t.setDaemon(true);
        return t;
    });
    private final Map<Fault, AtomicInteger> counts = new EnumMap<>(Fault.class);
    /** Faults for the next connections, in order, before the random ones resume. */
    private final Deque<Fault> script = new ArrayDeque<>();

    FaultProxy(int upstreamPort, long seed, double faultRate) throws IOException {
        this(new int[] {upstreamPort}, seed, faultRate);
    }

    FaultProxy(int[] upstreamPorts, long seed, double faultRate) throws IOException {
        this.upstreamPorts = upstreamPorts.clone();
        this.served = new AtomicInteger[upstreamPorts.length];
        for (int i = 0; i < served.length; i++) {
            served[i] = new AtomicInteger();
        }
        this.random = new Random(seed);
        this.faultRate = faultRate;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        for (Fault f : Fault.values()) {
            counts.put(f, new AtomicInteger());
        }
        threads.execute(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Connections sent to the {@code node}th upstream (counting from 0). */
    int served(int node) {
        return served[node].get();
    }

    int count(Fault f) {
        return counts.get(f).get();
    }

    /**
     * The next connections get these faults, one each, in order (replacing what was left of an earlier script); then
     * the random ones resume. A generated test decides its faults this way, so a failure replays and shrinks.
     */
    void script(List<Fault> faults) {
        synchronized (random) {
            script.clear();
            script.addAll(faults);
        }
    }

    private Fault choose() {
        synchronized (random) {
            if (!script.isEmpty()) {
                return script.poll();
            }
            if (random.nextDouble() >= faultRate) {
                return Fault.PASS;
            }
            return Fault.values()[1 + random.nextInt(3)];
        }
    }

    private int below(int bound) {
        synchronized (random) {
            return random.nextInt(bound);
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                threads.execute(() -> handle(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void handle(Socket client) {
        Fault fault = choose();
        counts.get(fault).incrementAndGet();
        int node = Math.floorMod(nextUpstream.getAndIncrement(), upstreamPorts.length);
        served[node].incrementAndGet();
        try (client; Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPorts[node])) {
            if (fault == Fault.CUT_BEFORE_REQUEST) {
                return;
            }
            InputStream in = client.getInputStream();
            OutputStream up = upstream.getOutputStream();
            up.write(withConnectionClose(readHead(in)));
            up.flush();
            threads.execute(() -> pump(in, up));
            InputStream fromOffice = upstream.getInputStream();
            OutputStream out = client.getOutputStream();
            switch (fault) {
                case PASS -> fromOffice.transferTo(out);
                case CUT_AFTER_COMMIT -> fromOffice.read(); // the office has answered, so its transaction is over
                case CUT_MID_RESPONSE -> {
                    byte[] reply = fromOffice.readAllBytes();
                    out.write(reply, 0, reply.length <= 1 ? 0 : 1 + below(reply.length - 1));
                }
                default -> throw new IllegalStateException();
            }
            out.flush();
        } catch (IOException e) {
            // a broken connection is what this proxy is for
        }
    }

    private static void pump(InputStream in, OutputStream out) {
        try {
            in.transferTo(out);
        } catch (IOException e) {
            // the other side closed
        }
    }

    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("client closed before the request head ended");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toByteArray();
    }

    private static byte[] withConnectionClose(byte[] head) {
        String text = new String(head, StandardCharsets.ISO_8859_1);
        StringBuilder sb = new StringBuilder();
        for (String line : text.split("\r\n")) {
            if (!line.isEmpty() && !line.regionMatches(true, 0, "Connection:", 0, 11)) {
                sb.append(line).append("\r\n");
            }
        }
        sb.append("Connection: close\r\n\r\n");
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
