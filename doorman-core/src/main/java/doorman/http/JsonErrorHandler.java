package doorman.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Jetty answers some requests before Javalin sees them (unparseable request lines, oversized headers,
 * ambiguous URIs). This makes those answers the same JSON shape as every other error, without stack traces.
 */
final class JsonErrorHandler extends ErrorHandler {

    JsonErrorHandler() {
        setShowStacks(false);
        setShowCauses(false);
        setShowMessageInTitle(false);
    }

    /**
     * JSON whatever the client accepts: the API has one error shape. Jetty closes the connection after answering
     * a request it refused itself, so the answer says so; a client would otherwise reuse a dead connection.
     */
    @Override
    protected boolean generateAcceptableResponse(Request request, Response response, Callback callback, String contentType,
                                                 List<Charset> charsets, int code, String message, Throwable cause) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        response.write(true, ByteBuffer.wrap(body(code, message).getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }

    static String body(int status, String reason) {
        String text = reason == null || reason.isBlank() ? defaultReason(status) : reason;
        return "{\"error\":\"" + escape(text) + "\",\"status\":" + status + "}";
    }

    private static String defaultReason(int status) {
        org.eclipse.jetty.http.HttpStatus.Code code = org.eclipse.jetty.http.HttpStatus.getCode(status);
        return code == null ? "error" : code.getMessage();
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.toString();
    }
}
