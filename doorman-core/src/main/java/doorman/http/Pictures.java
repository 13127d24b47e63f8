package doorman.http;

import io.javalin.http.Context;

/** How every picture of a face leaves the API: a JPEG that no browser or proxy may keep. */
final class Pictures {

    private Pictures() {
    }

    static void send(Context ctx, byte[] jpeg) {
        ctx.header("Cache-Control", "no-store");
        ctx.contentType("image/jpeg").result(jpeg);
    }
}
