package doorman.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.ContentTooLargeResponse;
import io.javalin.http.Context;
import io.javalin.http.UnsupportedMediaTypeResponse;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;

/**
 * Reads request bodies with hard size limits and turns every kind of malformed input into a 4xx
 * that says what was wrong, so no parser exception can surface as a 500.
 */
final class RequestBodies {

    static final int MAX_JSON_BYTES = 64 * 1024;
    private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    /**
     * Request bodies read at once. Reading blocks a server thread for as long as the client takes; capping the
     * readers keeps most of the pool for /healthz and quick requests however many slow uploads arrive.
     */
    static final int MAX_CONCURRENT_BODIES = 8;

    /** The request attribute holding a multipart body once parsed, so every field of it reads the same parse. */
    private static final String MULTIPART = "doorman.multipartBody";

    private final ObjectMapper mapper;
    private final long maxImageBytes;
    /** How much of a refused, over-long body is still read and dropped so its sender sees the 413 (see refuseTooLarge). */
    static final long DRAINED_OVER_LIMIT = 1024 * 1024;

    private final BodyReader reader;
    private final java.util.concurrent.Semaphore readers = new java.util.concurrent.Semaphore(MAX_CONCURRENT_BODIES);

    RequestBodies(ObjectMapper mapper, long maxImageBytes) {
        this(mapper, maxImageBytes, new BodyReader(System::nanoTime));
    }

    RequestBodies(ObjectMapper mapper, long maxImageBytes, BodyReader reader) {
        this.mapper = mapper;
        this.maxImageBytes = maxImageBytes;
        this.reader = reader;
    }

    /** A JSON body bound to {@code type}; unknown fields are refused so typos do not pass silently. */
    <T> T json(Context ctx, Class<T> type) {
        String contentType = mediaType(ctx);
        if (!contentType.equals("application/json"))
            throw new UnsupportedMediaTypeResponse("expected Content-Type application/json");
        byte[] body = guarded(ctx, () -> readRaw(ctx, MAX_JSON_BYTES));
        if (body.length == 0) throw new BadRequestResponse("empty body; expected a JSON object");
        try {
            T value = mapper.readValue(body, type);
            if (value == null) throw new BadRequestResponse("expected a JSON object, got null");
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw new BadRequestResponse("unknown field '" + e.getPropertyName() + "'");
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause();
            throw new BadRequestResponse(cause != null && cause.getMessage() != null ? cause.getMessage() : "invalid value");
        } catch (MismatchedInputException e) {
            String field = e.getPath().isEmpty() ? null : e.getPath().get(e.getPath().size() - 1).getFieldName();
            throw new BadRequestResponse(field == null ? "JSON has the wrong shape" : "field '" + field + "' has the wrong type");
        } catch (JsonProcessingException e) {
            throw new BadRequestResponse("malformed JSON");
        } catch (IOException e) {
            throw new BadRequestResponse("could not read the body");
        }
    }

    /**
     * The image in a request: either the whole body sent as {@code image/jpeg} or {@code image/png}, or the
     * multipart/form-data file field {@code field}. The bytes must really start like a JPEG or PNG.
     */
    byte[] image(Context ctx, String field) {
        String contentType = mediaType(ctx);
        byte[] bytes;
        if (contentType.equals("image/jpeg") || contentType.equals("image/png")) {
            bytes = guarded(ctx, () -> readRaw(ctx, maxImageBytes));
        } else if (contentType.equals("multipart/form-data")) {
            bytes = multipartFile(ctx, field, true);
        } else {
            throw new UnsupportedMediaTypeResponse("send the photo as image/jpeg, image/png or multipart/form-data"
                    + " with a file field '" + field + "'");
        }
        return checkedImage(bytes, field);
    }

    /** A second image from the same multipart request, or null when that field is absent. */
    byte[] optionalMultipartImage(Context ctx, String field) {
        if (!mediaType(ctx).equals("multipart/form-data")) return null;
        byte[] bytes = multipartFile(ctx, field, false);
        return bytes == null ? null : checkedImage(bytes, field);
    }

    /** A plain (non-file) multipart field, or null when absent. */
    String multipartField(Context ctx, String field) {
        if (!mediaType(ctx).equals("multipart/form-data")) return null;
        return multipart(ctx).field(field);
    }

    private byte[] multipartFile(Context ctx, String field, boolean required) {
        byte[] file = multipart(ctx).file(field);
        if (file == null && required) throw new BadRequestResponse("multipart body has no file field '" + field + "'");
        return file;
    }

    /** The request's multipart body, read and parsed on the first call and taken from the request after that. */
    private MultipartBody multipart(Context ctx) {
        if (ctx.attribute(MULTIPART) instanceof MultipartBody parsed) return parsed;
        byte[] raw = guarded(ctx, () -> readRaw(ctx, maxImageBytes));
        MultipartBody parsed = MultipartBody.parse(ctx.header("Content-Type"), raw, maxImageBytes);
        ctx.attribute(MULTIPART, parsed);
        return parsed;
    }

    /** Runs a body read holding one of the reader permits; with none free, answers 503 at once. */
    private <T> T guarded(Context ctx, java.util.function.Supplier<T> read) {
        if (!readers.tryAcquire()) {
            ctx.header("Retry-After", "2");
            throw new io.javalin.http.ServiceUnavailableResponse("too many uploads in progress; retry in a moment");
        }
        try {
            return read.get();
        } finally {
            readers.release();
        }
    }

    private byte[] checkedImage(byte[] bytes, String field) {
        if (bytes.length == 0) throw new BadRequestResponse("'" + field + "' is empty");
        if (!startsWith(bytes, JPEG) && !startsWith(bytes, PNG))
            throw new UnsupportedMediaTypeResponse("'" + field + "' is neither a JPEG nor a PNG");
        return bytes;
    }

    /** Every request body is read here: held to {@code limit} and to {@link BodyReader}'s pace. */
    private byte[] readRaw(Context ctx, long limit) {
        long declared = ctx.req().getContentLengthLong();
        InputStream in;
        try {
            in = ctx.req().getInputStream();
        } catch (IOException e) {
            throw new BadRequestResponse("could not read the body");
        }
        if (declared > limit) throw refuseTooLarge(ctx, in, limit, declared);
        try {
            return reader.read(in, limit, declared);
        } catch (ContentTooLargeResponse e) {
            throw refuseTooLarge(ctx, in, limit, -1);
        } catch (io.javalin.http.HttpResponseException e) {
            // the rest of a body that fell behind is still on its way; the client must not reuse the connection
            if (e.getStatus() == 408) ctx.header("Connection", "close");
            throw e;
        }
    }

    /**
     * A body a little over the limit is read to its end and dropped before the 413, so the client, still sending,
     * reads the answer (answering first made it lose the answer to a reset now and then); a body far over is cut off.
     */
    private ContentTooLargeResponse refuseTooLarge(Context ctx, InputStream in, long limit, long declared) {
        boolean ended = declared < 0 ? reader.drain(in, DRAINED_OVER_LIMIT)
                : declared <= limit + DRAINED_OVER_LIMIT && reader.drain(in, declared);
        if (!ended) ctx.header("Connection", "close");
        return tooLarge(limit);
    }

    private static ContentTooLargeResponse tooLarge(long limit) {
        return new ContentTooLargeResponse("body larger than " + limit + " bytes");
    }

    /** The media type without parameters, lower case; empty when the header is missing. */
    static String mediaType(Context ctx) {
        String header = ctx.header("Content-Type");
        if (header == null) return "";
        int semicolon = header.indexOf(';');
        return (semicolon < 0 ? header : header.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }
}
