package doorman.http;

import doorman.gallery.Gallery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Seeded malformed traffic against a real server: random methods, paths, headers and bodies, truncated JSON,
 * junk images, and raw bytes that are not HTTP at all. Nothing may answer 5xx, the server must still answer
 * afterwards, and the gallery must be exactly as it was. Requests are built to be wrong (unknown or invalid
 * ids for deletes, bodies that cannot parse, images without a face), so any change to the store is a bug.
 */
class ApiFuzzTest {

    /** The default mix; {@code -Ddoorman.fuzz.seed=N} runs another (hex without a prefix, or decimal). */
    private static final long SEED = seed(System.getProperty("doorman.fuzz.seed"), 0x5EED_D00EL);
    private static final int HTTP_REQUESTS = 1100;
    private static final int RAW_REQUESTS = 150;
    private static final String[] METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"};
    private static final String[] CONTENT_TYPES = {null, "application/json", "application/json; charset=utf-8",
            "image/jpeg", "image/png", "multipart/form-data", "multipart/form-data; boundary=zz", "text/plain",
            "application/x-www-form-urlencoded", "image/gif", "application/octet-stream", ";;;", "image/jpeg; q=\u00e9"};

    @TempDir
    Path dir;

    private Random random;
    private long person;
    private long face;
    private byte[] photo;

    @Test
    void malformedRequestsNeverCause5xxNorChangeTheStore() throws Exception {
        random = new Random(SEED);
        ApiSettings settings = ApiSettings.of("127.0.0.1", 0).withMaxBodyBytes(2L * 1024 * 1024)
                .withAuthLimit(1_000_000, Duration.ofSeconds(60)); // wrong tokens are part of the mix; keep them at 401
        try (ApiFixture api = ApiFixture.start(dir.resolve("data"), settings, null)) {
            photo = ApiFixture.photo(EnrollmentApiTest.AARON_1);
            HttpResponse<String> added = api.client.json("POST", "/api/people", "{\"name\":\"Fuzz Target\"}");
            assertEquals(201, added.statusCode(), added.body());
            person = TestClient.body(added).get("id").asLong();
            HttpResponse<String> enrolled = api.client.image("/api/people/" + person + "/faces", "image/jpeg", photo);
            assertEquals(201, enrolled.statusCode(), enrolled.body());
            face = TestClient.body(enrolled).get("id").asLong();
            Gallery.Snapshot before = api.gallery.snapshot();

            Map<Integer, Integer> statuses = new TreeMap<>();
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < HTTP_REQUESTS; i++) {
                Request r = nextRequest(api.token);
                HttpResponse<String> response;
                try {
                    response = (r.token == null ? api.client.withToken(null) : api.client.withToken(r.token))
                            .send(r.method, r.path, r.contentType, r.body);
                } catch (RuntimeException e) {
                    failures.add("#" + i + " " + r + " -> no answer: " + e);
                    continue;
                }
                statuses.merge(response.statusCode(), 1, Integer::sum);
                if (response.statusCode() >= 500) failures.add("#" + i + " " + r + " -> " + response.statusCode() + " " + response.body());
                else if (response.statusCode() >= 400 && !r.method.equals("HEAD")) checkErrorBody(i, r, response, failures);
            }
            for (int i = 0; i < RAW_REQUESTS; i++) {
                byte[] raw = nextRawRequest(api.token);
                int status = rawRequest(api.server.port(), raw);
                statuses.merge(status, 1, Integer::sum);
                // 505 is the one 5xx HTTP itself prescribes for a request line naming an unknown protocol
                // version (RFC 9110 15.6.6); Jetty's parser sends it before any Doorman code runs
                String text = new String(raw, StandardCharsets.ISO_8859_1);
                boolean unknownVersion = text.startsWith("GET / HTTP/9") || text.startsWith("BREW /coffee HTCPCP");
                if (status >= 500 && !(status == 505 && unknownVersion))
                    failures.add("raw #" + i + " " + text.substring(0, Math.min(40, text.length())).replace("\r\n", " ") + " -> " + status);
            }

            assertTrue(failures.isEmpty(), failures.size() + " bad answers, first: " + failures.subList(0, Math.min(5, failures.size())));
            assertEquals(200, api.client.get("/healthz").statusCode(), "still answering");
            assertEquals(200, api.client.get("/api/people").statusCode(), "still answering with the token");
            assertEquals(before, api.gallery.snapshot(), "the gallery is exactly as before");
            assertTrue(statuses.keySet().stream().filter(s -> s >= 400).count() >= 6, "the mix reached many error kinds: " + statuses);
            System.out.println("fuzz statuses (seed " + Long.toHexString(SEED) + "): " + statuses);
        }
    }

    private void checkErrorBody(int i, Request r, HttpResponse<String> response, List<String> failures) {
        String body = response.body();
        if (!body.startsWith("{") || !body.contains("\"status\":" + response.statusCode()) || !body.contains("\"error\":"))
            failures.add("#" + i + " " + r + " -> " + response.statusCode() + " without the JSON error shape: " + body);
        if (body.contains("at doorman.") || body.contains("at org.eclipse") || body.contains("Exception"))
            failures.add("#" + i + " " + r + " -> leaks internals: " + body);
    }

    private record Request(String method, String path, String contentType, byte[] body, String token) {
        @Override
        public String toString() {
            return method + " " + path + " [" + contentType + ", " + (body == null ? "no body" : body.length + " bytes")
                    + (token == null ? ", no token" : "") + "]";
        }
    }

    private Request nextRequest(String token) {
        String auth = switch (random.nextInt(10)) {
            case 0 -> null;
            case 1 -> token.substring(0, token.length() - 1) + (token.endsWith("A") ? "B" : "A");
            case 2 -> randomText(1 + random.nextInt(60));
            default -> token;
        };
        int kind = random.nextInt(12);
        return switch (kind) {
            case 0, 1 -> new Request(pick(METHODS), randomPath(), pick(CONTENT_TYPES), randomBody(), auth);
            case 2, 3 -> new Request("POST", "/api/people", pick(CONTENT_TYPES), brokenJson(), auth);
            case 4 -> new Request("PATCH", "/api/people/" + pick(personIds(true)), pick(CONTENT_TYPES), brokenJson(), auth);
            case 5 -> new Request("DELETE", "/api/people/" + pick(personIds(false)) + (random.nextBoolean() ? "" : "/faces/" + pick(faceIds())), null, null, auth);
            case 6, 7 -> new Request("POST", "/api/people/" + pick(personIds(true)) + "/faces", pick(CONTENT_TYPES), junkImage(), auth);
            case 8 -> new Request("POST", "/api/people/" + pick(personIds(false)) + "/faces", pick(CONTENT_TYPES), realOrTruncatedPhoto(), auth);
            case 9 -> new Request("POST", pick(new String[]{"/api/verify", "/api/verify?person=" + pick(personIds(true)), "/api/identify"}),
                    pick(CONTENT_TYPES), random.nextBoolean() ? junkImage() : brokenMultipart(), auth);
            case 10 -> new Request("GET", "/api/events?" + randomQuery(), null, null, auth);
            default -> new Request(pick(new String[]{"POST", "GET"}), "/api/people/" + pick(personIds(true)) + "/faces/capture", null, randomBody(), auth);
        };
    }

    /** Ids that are unknown, malformed or (when {@code includeReal}) the real person, for requests whose body is wrong anyway. */
    private String[] personIds(boolean includeReal) {
        List<String> ids = new ArrayList<>(List.of("999999", "-1", "abc", "1.5", "1e3", "0x10", "%20", "99999999999999999999",
                "%E2%82%AC", "0", "%00"));
        if (includeReal) ids.add(Long.toString(person));
        return ids.toArray(String[]::new);
    }

    private String[] faceIds() {
        return new String[]{"424242", "-7", "x", "9223372036854775808", Long.toString(face + 1000)};
    }

    private String randomPath() {
        String[] prefixes = {"/api/people", "/api/people/", "/api/people/" + person + "/faces/", "/api/verify", "/api/identify",
                "/api/events", "/api/door", "/api/door/lock", "/api", "/metrics", "/healthz", "/openapi.yaml", "/",
                "/index.html", "/app.js", "/api/people/" + person + "/faces/" + face + "/x", "/web/../api/people", "/%2e%2e/etc/passwd"};
        String p = pick(prefixes);
        if (random.nextInt(3) == 0) p += urlSafe(randomText(random.nextInt(20)));
        if (random.nextInt(4) == 0) p += "?" + randomQuery();
        if (p.equals("/api/door/unlock")) p += "x"; // a well-formed unlock would change the audit log, not exercise a fault
        return p;
    }

    private String randomQuery() {
        String[] keys = {"limit", "offset", "from", "to", "person", "outcome", "x", ""};
        String[] values = {"-1", "0", "1", "1001", "abc", "2025-01-01T00:00:00Z", "2025-99-01", "unlock", "stranger-event",
                "%00", "%FF", "" , "9".repeat(30)};
        StringBuilder q = new StringBuilder();
        int n = 1 + random.nextInt(4);
        for (int i = 0; i < n; i++) q.append(i == 0 ? "" : "&").append(pick(keys)).append('=').append(pick(values));
        return q.toString();
    }

    private byte[] brokenJson() {
        String[] valid = {"{\"name\":\"Someone New\"}", "{\"name\":\"Renamed\",\"enabled\":false}", "{\"enabled\":true}"};
        return switch (random.nextInt(8)) {
            case 0 -> { // a strict prefix of valid JSON never parses
                String v = pick(valid);
                yield v.substring(0, random.nextInt(v.length())).getBytes(StandardCharsets.UTF_8);
            }
            case 1 -> "{\"name\":5}".getBytes(StandardCharsets.UTF_8);
            case 2 -> "{\"name\":\"x\",\"admin\":true}".getBytes(StandardCharsets.UTF_8);
            case 3 -> "{\"enabled\":\"yes\"}".getBytes(StandardCharsets.UTF_8);
            case 4 -> ("{\"name\":\"" + "\u0007".repeat(3) + "\"}").getBytes(StandardCharsets.UTF_8);
            case 5 -> "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[".getBytes(StandardCharsets.UTF_8);
            case 6 -> "{\"name\":\"\"}".getBytes(StandardCharsets.UTF_8);
            default -> randomBytes(random.nextInt(300));
        };
    }

    private byte[] junkImage() {
        byte[] jpegMagic = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};
        byte[] pngMagic = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
        byte[] body = randomBytes(random.nextInt(4000));
        return switch (random.nextInt(4)) {
            case 0 -> concat(jpegMagic, body);
            case 1 -> concat(pngMagic, body);
            case 2 -> concat(pngMagic, new byte[]{0, 0, 0, 13, 'I', 'H', 'D', 'R', 0x7F, 0x7F, 0x7F, 0x7F, 0x7F, 0x7F, 0x7F, 0x7F, 8, 2, 0, 0, 0});
            default -> body;
        };
    }

    private byte[] realOrTruncatedPhoto() {
        return random.nextBoolean() ? photo : Arrays.copyOf(photo, random.nextInt(photo.length));
    }

    private byte[] brokenMultipart() {
        String boundary = "zz";
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n";
        byte[] all = concat(head.getBytes(StandardCharsets.UTF_8), concat(junkImage(), ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8)));
        return random.nextBoolean() ? all : Arrays.copyOf(all, random.nextInt(all.length));
    }

    private byte[] randomBody() {
        return switch (random.nextInt(4)) {
            case 0 -> null;
            case 1 -> brokenJson();
            case 2 -> junkImage();
            default -> randomBytes(random.nextInt(2000));
        };
    }

    /** Bytes straight onto a socket: broken request lines, bad headers, lying Content-Lengths, binary noise. */
    private byte[] nextRawRequest(String token) {
        String auth = random.nextBoolean() ? "Authorization: Bearer " + token + "\r\n" : "";
        String[] templates = {
                "GET /api/people HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Length: 5\r\n\r\n",
                "POST /api/people HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"na",
                "POST /api/people HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n",
                "GET /api/people/%zz HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n",
                "GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET / HTTP/9.9\r\nHost: x\r\n\r\n",
                "BREW /coffee HTCPCP/1.0\r\n\r\n",
                "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Long: " + "a".repeat(20_000) + "\r\n\r\n",
                "GET /healthz HTTP/1.1\r\n" + "Bad Header Line\r\n\r\n",
                "POST /api/people/1/faces HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Type: image/jpeg\r\nContent-Length: -5\r\n\r\n",
                "POST /api/people/1/faces HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Type: image/jpeg\r\nContent-Length: 99999999999\r\n\r\n\u00ff\u00d8",
                "GET /api/people HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \u00e9\u00e9\r\n\r\n",
                "GET /api/events?limit=%FF%FE HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n",
        };
        if (random.nextInt(5) == 0) return randomBytes(1 + random.nextInt(500));
        String t = pick(templates);
        byte[] bytes = t.getBytes(StandardCharsets.ISO_8859_1);
        return random.nextInt(4) == 0 ? Arrays.copyOf(bytes, 1 + random.nextInt(bytes.length)) : bytes;
    }

    /** Sends raw bytes, half-closes, and returns the status of the answer (0 when the server just closed). */
    private static int rawRequest(int port, byte[] bytes) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(3000);
            OutputStream out = s.getOutputStream();
            out.write(bytes);
            out.flush();
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            byte[] head = in.readNBytes(12);
            String line = new String(head, StandardCharsets.ISO_8859_1);
            if (line.startsWith("HTTP/1.") && line.length() >= 12) return Integer.parseInt(line.substring(9, 12));
            return 0;
        } catch (java.net.SocketTimeoutException | java.net.SocketException e) {
            return 0; // the server waited for more or hung up: neither is an error answer
        }
    }

    private static long seed(String text, long fallback) {
        if (text == null || text.isBlank()) return fallback;
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            return Long.parseUnsignedLong(text.strip(), 16);
        }
    }

    private String pick(String[] options) {
        return options[random.nextInt(options.length)];
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private String randomText(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) sb.append((char) (0x21 + random.nextInt(0x5E)));
        return sb.toString();
    }

    private static String urlSafe(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
