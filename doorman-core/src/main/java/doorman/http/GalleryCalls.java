package doorman.http;

import doorman.gallery.DataDirectory;
import doorman.gallery.DuplicateEntryException;
import doorman.gallery.GalleryException;
import io.javalin.http.HttpResponseException;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.ConflictResponse;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;

import java.util.NoSuchElementException;
import java.util.function.Supplier;

/**
 * The gallery reports unknown ids, taken names and invalid input as exceptions with messages fit for a
 * person; this turns exactly those into 404, 409 and 400, and store failures (a full disk) into 507 or 503. Only calls that carry client input go through
 * here, so a bug elsewhere still surfaces as a logged 500.
 */
final class GalleryCalls {

    private GalleryCalls() {
    }

    static <T> T call(Supplier<T> work) {
        try {
            return work.get();
        } catch (NoSuchElementException e) {
            throw new NotFoundResponse(e.getMessage());
        } catch (DuplicateEntryException e) {
            throw new ConflictResponse(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new BadRequestResponse(e.getMessage());
        } catch (GalleryException e) {
            // store trouble is the server's, not the client's: 507 for a full disk, else 503; nothing was changed
            boolean full = DataDirectory.describe(e).startsWith("the disk");
            throw new HttpResponseException(full ? 507 : 503, (full ? "the disk is full" : "the gallery cannot be written")
                    + "; nothing was changed");
        }
    }

    /** A numeric id from the path; anything else is a 400 naming the parameter. */
    static long id(Context ctx, String param) {
        String raw = ctx.pathParam(param);
        try {
            long id = Long.parseLong(raw);
            if (id < 0) throw new NumberFormatException();
            return id;
        } catch (NumberFormatException e) {
            throw new BadRequestResponse(param + " must be a non-negative whole number");
        }
    }
}
