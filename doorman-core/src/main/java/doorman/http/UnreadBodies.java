package doorman.http;

import io.javalin.http.Context;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.Content;

/**
 * Keeps a connection honest about an answer sent before its request body was read (a wrong token, an unknown
 * path, a refused media type, a body that stopped parsing half-way). Jetty 12 closes such a connection once the
 * answer is out when the rest of the body has not arrived, and does not always say so in the answer, so a client
 * that reuses it finds it dead ("header parser received no bytes"). Here the bytes that have already arrived are
 * read and dropped, which keeps the connection usable; when more are still on their way, the answer says
 * {@code Connection: close}, so the client opens a new connection instead. No thread ever waits here for a
 * slow client.
 */
final class UnreadBodies {

    /** The most this reads and drops from one request; a larger remainder is left to the connection's close. */
    static final int MAX_DRAINED_BYTES = 64 * 1024;

    private UnreadBodies() {
    }

    /** Called after every request, before the answer is sent. */
    static void settle(Context ctx) {
        if (!hasBody(ctx)) return;
        if (!drainedWithoutWaiting(ctx)) ctx.header("Connection", "close");
    }

    private static boolean hasBody(Context ctx) {
        return ctx.req().getContentLengthLong() > 0 || ctx.header("Transfer-Encoding") != null;
    }

    /**
     * True when the body has been read to its end, by the handler or here from bytes already received. Reads go to
     * Jetty's own request, whose read never blocks (null: nothing more yet); the servlet stream would only learn of
     * the body's end by blocking on one more read.
     */
    private static boolean drainedWithoutWaiting(Context ctx) {
        try {
            ServletContextRequest request = ServletContextRequest.getServletContextRequest(ctx.req());
            if (request == null) return false;
            long drained = 0;
            while (drained <= MAX_DRAINED_BYTES) {
                Content.Chunk chunk = request.read();
                if (chunk == null || Content.Chunk.isFailure(chunk)) return false;
                drained += chunk.remaining();
                boolean last = chunk.isLast();
                chunk.release();
                if (last) return true;
            }
            return false;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
