package doorman.http;

import doorman.metrics.Metrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.*;

/**
 * An answer given before the request body was read must leave the connection either usable or announced as closed
 * ({@code Connection: close}); a client that reuses a connection the server silently dropped gets no answer at all.
 * Raw sockets, so the test sees exactly what a client sees.
 */
class ConnectionReuseTest {

    @TempDir
    Path dir;
    private ApiServer server;
    private String secret;

    @BeforeEach
    void start() throws IOException {
        ApiToken token = ApiFixture.quietToken(dir);
        secret = Files.readString(dir.resolve(ApiToken.FILE_NAME)).strip();
        List<Routes.Group> groups = List.of(routes -> {
            RequestBodies bodies = routes.bodies();
            routes.post("/api/upload", ctx -> ctx.json(java.util.Map.of("bytes", bodies.image(ctx, "image").length)));
            routes.post("/api/form", ctx -> ctx.json(java.util.Map.of("field", String.valueOf(bodies.multipartField(ctx, "x")))));
        });
        server = ApiServer.start(ApiSettings.of("127.0.0.1", 0), token, new Metrics(), groups);
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    @Test
    void everyEarlyAnswerLeavesTheConnectionUsableOrSaysItCloses() throws IOException {
        byte[] json = "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        byte[] gif = new byte[8000];
        Arrays.fill(gif, (byte) 'G');
        byte[] brokenMultipart = ("--zz\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nvalue-without-end")
                .getBytes(StandardCharsets.ISO_8859_1);
        List<Exchange> exchanges = List.of(
                new Exchange("wrong token, body sent", post("/api/upload", "Bearer wrong", "image/jpeg", json.length), json, 401),
                new Exchange("no token, body sent", post("/api/upload", null, "image/jpeg", json.length), json, 401),
                new Exchange("refused media type", post("/api/upload", "Bearer " + secret, "image/gif", gif.length), gif, 415),
                new Exchange("unknown path with a body", post("/api/nowhere", "Bearer " + secret, "application/json", json.length), json, 404),
                new Exchange("open page with a body", post("/healthz", null, "application/json", json.length), json, 404),
                new Exchange("multipart cut short", post("/api/form", "Bearer " + secret, "multipart/form-data; boundary=zz",
                        brokenMultipart.length), brokenMultipart, 400),
                new Exchange("ambiguous path refused by Jetty", ("GET /%2e%2e/etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1), new byte[0], 400),
                new Exchange("NUL in the path", ("DELETE /api/people/%00 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + secret
                        + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), new byte[0], 400));
        for (Exchange e : exchanges) {
            try (Socket socket = new Socket("127.0.0.1", server.port())) {
                socket.setSoTimeout(5000);
                OutputStream out = socket.getOutputStream();
                InputStream in = socket.getInputStream();
                out.write(concat(e.head, e.body));
                out.flush();
                Answer first = Answer.read(in);
                assertEquals(e.status, first.status, e.name + ": " + first.head);
                if (first.closes()) continue; // announced: a client opens a new connection
                out.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                Answer second = Answer.read(in);
                assertEquals(200, second.status, e.name + ": the connection was kept open but did not answer again");
            }
        }
    }

    @Test
    void aBodyStillOnItsWayIsAnnouncedAsClosingTheConnection() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            // 100 bytes announced, 10 sent: the rest would have to be waited for
            out.write(post("/api/upload", "Bearer wrong", "image/jpeg", 100));
            out.write(new byte[10]);
            out.flush();
            Answer answer = Answer.read(socket.getInputStream());
            assertEquals(401, answer.status);
            assertTrue(answer.closes(), answer.head);
        }
    }

    private static byte[] post(String path, String authorization, String contentType, int length) {
        String head = "POST " + path + " HTTP/1.1\r\nHost: x\r\n"
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                + "Content-Type: " + contentType + "\r\nContent-Length: " + length + "\r\n\r\n";
        return head.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private record Exchange(String name, byte[] head, byte[] body, int status) {
    }

    /** One HTTP/1.1 answer with a Content-Length body, read to its end. */
    private record Answer(int status, String head) {

        boolean closes() {
            return head.toLowerCase(Locale.ROOT).contains("\r\nconnection: close");
        }

        static Answer read(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) throw new IOException("connection closed after " + head.size() + " bytes of an answer");
                head.write(b);
                matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            String text = head.toString(StandardCharsets.ISO_8859_1);
            int length = 0;
            for (String line : text.split("\r\n"))
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) length = Integer.parseInt(line.substring(15).strip());
            byte[] body = in.readNBytes(length);
            assertEquals(length, body.length, "the whole body");
            return new Answer(Integer.parseInt(text.substring(9, 12)), text);
        }
    }
}
