package doorman.http;

import io.javalin.http.Context;

/** How every picture of a face leaves the API: a JPEG that no browser or proxy may keep. */
final class Pictures {

    private Pictures() {
    }

    static void send(Context ctx, byte[] jpeg) {
        ctx.header("Cache-Control", "no-store");
        binaryType(ctx, "image/jpeg");
        ctx.result(jpeg);
    }

    /** Sets a content type without the "charset=utf-8" Jetty would add for the server's text default. */
    static void binaryType(Context ctx, String type) {
        ctx.res().setCharacterEncoding(null);
        ctx.res().setContentType(type);
    }
}
