import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The red-team campaign's network half, run by deploy/redteam/run.sh as a single-file program (java RedTeam.java):
 *
 *   java RedTeam.java api PORT TOKEN COUNT SEED PHOTO   varied hostile requests, one raw HTTP/1.1 exchange each
 *   java RedTeam.java slow PORT COUNT                     slow connections in waves while /healthz is probed
 *
 * Every request goes to 127.0.0.1 only. Prints one "key value" line per result for run.sh to tabulate.
 */
public class RedTeam {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[1]);
        switch (args[0]) {
            case "api" -> api(port, args[2], Integer.parseInt(args[3]), Long.parseLong(args[4]), Path.of(args[5]));
            case "slow" -> slow(port, Integer.parseInt(args[2]));
            default -> throw new IllegalArgumentException("api or slow");
        }
    }

    // ---- ~900 varied requests --------------------------------------------------------------------------------

    static void api(int port, String token, int count, long seed, Path photo) throws IOException {
        Random random = new Random(seed);
        byte[] jpeg = Files.readAllBytes(photo);
        Map<String, Integer> statuses = new TreeMap<>();
        Map<String, Integer> kinds = new TreeMap<>();
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String kind = KINDS[random.nextInt(KINDS.length)];
            byte[] request = build(kind, token, random, jpeg);
            kinds.merge(kind, 1, Integer::sum);
            String answer;
            try {
                answer = exchange(port, request, 10_000);
            } catch (IOException e) {
                answer = "no answer (" + e.getClass().getSimpleName() + ")";
            }
            String status = answer.startsWith("HTTP/1.1 ") ? answer.substring(9, 12) : answer;
            statuses.merge(status, 1, Integer::sum);
            boolean allowedNoAnswer = kind.equals("truncated-headers") || kind.equals("garbage");
            if (status.startsWith("5") && !(status.equals("505") && kind.equals("bad-version"))) bad.add(kind + " -> " + status);
            if (!answer.startsWith("HTTP/1.1 ") && !allowedNoAnswer) bad.add(kind + " -> " + answer);
            if (answer.startsWith("HTTP/1.1 ") && !status.startsWith("2") && !status.equals("101")
                    && !answer.contains("\"error\"") && !kind.equals("head") && !status.equals("304"))
                bad.add(kind + " -> " + status + " without a JSON error body");
            if (answer.contains("Access-Control-Allow-Origin")) bad.add(kind + " -> CORS allowed an origin");
            if (answer.contains("at doorman.") || answer.contains("at org.eclipse") || answer.contains("Exception"))
                bad.add(kind + " -> leaks internals");
            if (kind.equals("good") && !status.equals("200")) bad.add("the owner's request got " + status);
        }
        System.out.println("requests " + count);
        System.out.println("kinds " + kinds);
        System.out.println("statuses " + statuses);
        System.out.println("findings " + bad.size());
        bad.stream().distinct().limit(20).forEach(b -> System.out.println("finding " + b));
    }

    static final String[] KINDS = {"good", "no-token", "wrong-token", "token-in-query", "malformed-json", "json-wrong-types",
            "unknown-field", "huge-header", "many-headers", "odd-header", "path-traversal", "encoded-path", "null-byte",
            "wrong-method", "oversized-upload", "truncated-upload", "lying-length", "chunk-smuggle", "cl-te-conflict",
            "cors-preflight", "cors-simple", "head", "bad-version", "truncated-headers", "garbage", "unlock-no-token",
            "multipart-broken", "xss-name", "huge-json", "deep-json"};

    static byte[] build(String kind, String token, Random r, byte[] jpeg) {
        String auth = "Authorization: Bearer " + token + "\r\n";
        return switch (kind) {
            case "good" -> get("/api/people", auth);
            case "no-token" -> get(pick(r, "/api/people", "/metrics", "/api/events", "/api/people/1"), "");
            case "wrong-token" -> get("/api/people", "Authorization: Bearer " + randomText(r, 1 + r.nextInt(64)) + "\r\n");
            case "token-in-query" -> get("/api/people?token=" + token + "&access_token=" + token, "");
            case "malformed-json" -> post("/api/people", auth, "application/json", ascii(pick(r, "{", "{\"name\":", "{name:'x'}", "[]", "null", "\"x\"", "{\"name\":\"a\"}}", "\u0000\u0001")));
            case "json-wrong-types" -> post("/api/people", auth, "application/json", ascii(pick(r, "{\"name\":5}", "{\"name\":true}", "{\"name\":[\"a\"]}", "{\"name\":{}}")));
            case "unknown-field" -> post("/api/people", auth, "application/json", ascii("{\"name\":\"Red Team\",\"admin\":true}"));
            case "huge-header" -> get("/healthz", "X-Big: " + "a".repeat(8000 + r.nextInt(40000)) + "\r\n");
            case "many-headers" -> get("/healthz", ("X-H: 1\r\n").repeat(200 + r.nextInt(2000)));
            case "odd-header" -> get("/api/people", pick(r, "Authorization: Basic " + token + "\r\n", "Authorization: Bearer\r\n",
                    "Authorization:  Bearer  " + token + "\r\n", "Authorization: bearer " + token + "\r\n",
                    "Authorization: Bearer " + token + "\r\nAuthorization: Bearer wrong\r\n", "Host: \u00ff\u00fe\r\n", "X-Forwarded-For: 1.2.3.4\r\n" + "Authorization: Bearer wrong\r\n"));
            case "path-traversal" -> get(pick(r, "/../../etc/passwd", "/web/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
                    "/..%2f..%2fetc/passwd", "/app.js/../../gallery.keys", "/api/people/../../api-token", "//etc/passwd"), auth);
            case "encoded-path" -> get(pick(r, "/api/people/%31", "/api/%70eople", "/API/PEOPLE", "/api/people;x=1", "/api/people/1%20", "/%61pi/people"), auth);
            case "null-byte" -> get(pick(r, "/api/people/%00", "/index.html%00.js", "/api/people/1%00"), auth);
            case "wrong-method" -> raw(pick(r, "PUT", "TRACE", "CONNECT", "PROPFIND", "DELETE", "PATCH") + " " + pick(r, "/api/people", "/", "/healthz", "/api/door/unlock") + " HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Length: 0\r\n\r\n");
            case "oversized-upload" -> postHead("/api/people/1/faces", auth, "image/jpeg", 40_000_000L + r.nextInt(1000), new byte[]{(byte) 0xFF, (byte) 0xD8});
            case "truncated-upload" -> postHead("/api/people/1/faces", auth, "image/jpeg", jpeg.length, java.util.Arrays.copyOf(jpeg, r.nextInt(jpeg.length)));
            case "lying-length" -> postHead("/api/people", auth, "application/json", 5, ascii("{\"name\":\"Somebody Else\"}"));
            case "chunk-smuggle" -> raw("POST /api/people HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n" + pick(r, "2;\nxx\r\n0\r\n\r\n", "2;a=\"b\nc\"\r\nxx\r\n0\r\n\r\n", "2\nxx\r\n0\r\n\r\n", "0x2\r\nxx\r\n0\r\n\r\n"));
            case "cl-te-conflict" -> raw("POST /api/people HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Type: application/json\r\n"
                    + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /api/people HTTP/1.1\r\nHost: x\r\n\r\n");
            case "cors-preflight" -> raw("OPTIONS /api/people HTTP/1.1\r\nHost: x\r\nOrigin: http://evil.example\r\n"
                    + "Access-Control-Request-Method: DELETE\r\nAccess-Control-Request-Headers: authorization\r\n\r\n");
            case "cors-simple" -> get("/api/people", "Origin: http://evil.example\r\n" + (r.nextBoolean() ? auth : ""));
            case "head" -> raw("HEAD " + pick(r, "/", "/api/people", "/healthz") + " HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n");
            case "bad-version" -> raw("GET / HTTP/" + pick(r, "9.9", "1.7", "2.0", "0.9") + "\r\nHost: x\r\n\r\n");
            case "truncated-headers" -> raw("GET /api/people HTTP/1.1\r\nHost: x\r\nAuthorization: Bea");
            case "garbage" -> randomBytes(r, 1 + r.nextInt(400));
            case "unlock-no-token" -> post("/api/door/unlock", "", "application/json", ascii("{}"));
            case "multipart-broken" -> post("/api/people/1/faces", auth, "multipart/form-data; boundary=zz",
                    ascii("--zz\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.jpg\"\r\n\r\n\u00ff\u00d8\u00ff garbage"));
            case "xss-name" -> post("/api/people", auth, "application/json", ascii("{\"name\":\"<script>alert(1)</script>" + r.nextInt(1_000_000) + "\"}"));
            case "huge-json" -> post("/api/people", auth, "application/json", ascii("{\"name\":\"" + "x".repeat(70_000 + r.nextInt(100_000)) + "\"}"));
            case "deep-json" -> post("/api/people", auth, "application/json", ascii("[".repeat(5000)));
            default -> throw new IllegalStateException(kind);
        };
    }

    // ---- ~2 000 slow connections ----------------------------------------------------------------------------

    static void slow(int port, int count) throws Exception {
        int wave = 250;
        long worstHealthMs = 0;
        int healthFailures = 0, probes = 0, opened = 0, refusedToOpen = 0;
        for (int done = 0; done < count; done += wave) {
            List<Socket> sockets = new ArrayList<>();
            for (int i = 0; i < Math.min(wave, count - done); i++) {
                try {
                    Socket s = new Socket("127.0.0.1", port);
                    s.getOutputStream().write(("POST /api/people/1/faces HTTP/1.1\r\nHost: x\r\nContent-Type: image/jpeg\r\n"
                            + "Content-Length: 1000000\r\nX-Slow: ").getBytes(StandardCharsets.US_ASCII));
                    sockets.add(s);
                    opened++;
                } catch (IOException e) {
                    refusedToOpen++;
                }
            }
            for (int tick = 0; tick < 6; tick++) {
                for (Socket s : sockets) {
                    try {
                        s.getOutputStream().write('a');
                    } catch (IOException closedByServer) {
                        // the server cut it: that is the defence working
                    }
                }
                long start = System.nanoTime();
                probes++;
                try {
                    String answer = exchange(port, get("/healthz", ""), 5_000);
                    if (!answer.startsWith("HTTP/1.1 200")) healthFailures++;
                } catch (IOException e) {
                    healthFailures++;
                }
                worstHealthMs = Math.max(worstHealthMs, (System.nanoTime() - start) / 1_000_000);
                Thread.sleep(500);
            }
            for (Socket s : sockets) s.close();
        }
        System.out.println("slow-connections " + opened + " (could not open " + refusedToOpen + ")");
        System.out.println("health-probes " + probes + " failed " + healthFailures + " slowest-ms " + worstHealthMs);
    }

    // ---- raw HTTP ----------------------------------------------------------------------------------------------

    /** Sends the bytes, half-closes, and reads the answer's head (and a little body); "" when the server just closed. */
    static String exchange(int port, byte[] request, int timeoutMs) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(timeoutMs);
            OutputStream out = s.getOutputStream();
            try {
                out.write(request);
                out.flush();
                s.shutdownOutput();
            } catch (IOException writeCut) {
                // the server may answer and close before a large body is sent; read what it said
            }
            InputStream in = s.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            int n;
            try {
                while (answer.size() < 16_384 && (n = in.read(buffer)) > 0) answer.write(buffer, 0, n);
            } catch (java.net.SocketException reset) {
                // a reset after the answer is fine; before it, the answer is empty
            }
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }

    static byte[] get(String path, String headers) {
        return raw("GET " + path + " HTTP/1.1\r\nHost: x\r\n" + headers + "Connection: close\r\n\r\n");
    }

    static byte[] post(String path, String headers, String type, byte[] body) {
        return postHead(path, headers, type, body.length, body);
    }

    static byte[] postHead(String path, String headers, String type, long length, byte[] body) {
        byte[] head = ascii("POST " + path + " HTTP/1.1\r\nHost: x\r\n" + headers + "Content-Type: " + type
                + "\r\nContent-Length: " + length + "\r\nConnection: close\r\n\r\n");
        byte[] all = java.util.Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    static byte[] raw(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String pick(Random r, String... options) {
        return options[r.nextInt(options.length)];
    }

    static String randomText(Random r, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) b.append((char) (0x21 + r.nextInt(0x5E)));
        return b.toString();
    }

    static byte[] randomBytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }
}
