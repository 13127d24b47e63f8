package doorman.http;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.ContentTooLargeResponse;
import io.javalin.http.HttpResponseException;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Promise;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A multipart/form-data body parsed whole from bytes {@link BodyReader} has already read, so parsing never waits
 * on the network and the body's pace is judged in one place. Every part stays in memory (nothing is written to
 * disk), and every way the body can be wrong is a 4xx that says which.
 */
final class MultipartBody {

    /** More parts than any Doorman form sends (two images and a field) with room to spare. */
    static final int MAX_PARTS = 16;
    static final int MAX_PART_HEADER_BYTES = 8 * 1024;

    private record Part(String name, String fileName, byte[] content) {
    }

    private final List<Part> parts;

    private MultipartBody(List<Part> parts) {
        this.parts = parts;
    }

    /**
     * Parses {@code body} sent with the Content-Type header {@code contentType}; a file part may hold at most
     * {@code maxFileBytes}.
     */
    static MultipartBody parse(String contentType, byte[] body, long maxFileBytes) {
        MultiPartFormData.Parts parsed;
        try {
            String boundary = MultiPart.extractBoundary(contentType);
            if (boundary == null || boundary.isEmpty())
                throw new BadRequestResponse("multipart/form-data without a boundary parameter");
            MultiPartFormData.Parser parser = new MultiPartFormData.Parser(boundary);
            parser.setMaxParts(MAX_PARTS);
            parser.setPartHeadersMaxLength(MAX_PART_HEADER_BYTES);
            parser.setMaxFileSize(maxFileBytes); // the whole body was already held to the upload limit when read
            parser.setMaxMemoryFileSize(-1); // never spill to disk: photos are biometric data
            parser.setUseFilesForPartsWithoutFileName(false);
            // the source holds the whole body, so the parse has finished by the time parse() returns
            CompletableFuture<MultiPartFormData.Parts> result = new CompletableFuture<>();
            parser.parse(Content.Source.from(ByteBuffer.wrap(body)), Promise.Invocable.toPromise(result));
            parsed = result.getNow(null);
        } catch (HttpResponseException e) {
            throw e;
        } catch (CompletionException e) {
            throw problem(e.getCause() == null ? e : e.getCause());
        } catch (RuntimeException e) {
            throw problem(e);
        }
        if (parsed == null) throw new BadRequestResponse("malformed multipart body");
        try (parsed) {
            List<Part> parts = new ArrayList<>(parsed.size());
            for (MultiPart.Part p : parsed)
                parts.add(new Part(p.getName(), p.getFileName(), bytes(p)));
            return new MultipartBody(List.copyOf(parts));
        }
    }

    /** The content of the first file part named {@code name} (one sent with a filename), or null. */
    byte[] file(String name) {
        for (Part p : parts) if (name.equals(p.name()) && p.fileName() != null) return p.content();
        return null;
    }

    /** The first plain part named {@code name} as UTF-8 text, or null. */
    String field(String name) {
        for (Part p : parts)
            if (name.equals(p.name()) && p.fileName() == null) return new String(p.content(), StandardCharsets.UTF_8);
        return null;
    }

    private static byte[] bytes(MultiPart.Part part) {
        try {
            ByteBuffer buffer = Content.Source.asByteBuffer(part.createContentSource());
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException | RuntimeException e) {
            throw new BadRequestResponse("malformed multipart body");
        }
    }

    private static HttpResponseException problem(Throwable failure) {
        String message = String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT);
        if (message.contains("file size exceeded"))
            return new ContentTooLargeResponse("a multipart file is larger than the upload limit");
        if (message.contains("too many keys"))
            return new BadRequestResponse("multipart body has more than " + MAX_PARTS + " parts");
        if (message.contains("headers max length"))
            return new BadRequestResponse("a multipart part's headers are longer than " + MAX_PART_HEADER_BYTES + " bytes");
        return new BadRequestResponse("malformed multipart body");
    }
}
