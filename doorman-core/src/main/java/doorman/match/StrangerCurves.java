package doorman.match;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Stranger curves by how many photos a reference is made of: element {@code k - 1} is for the centroid of k
 * photos of a person (the last one serves every larger k). A centroid is a cleaner point than one photo, and
 * strangers come nearer to it, so the door needs the curve that fits each enrolled person.
 * Read from {@code stranger-curve-<encoder>.json}, written by {@code doorman eval door --write-curve}.
 */
public record StrangerCurves(String encoder, List<StrangerCurve> byTemplates) {

    public StrangerCurves {
        byTemplates = List.copyOf(byTemplates);
        if (byTemplates.isEmpty()) throw new IllegalArgumentException("no stranger curve");
        for (StrangerCurve c : byTemplates)
            if (!c.encoder().equals(encoder)) throw new IllegalArgumentException("curves of two encoders: " + encoder + ", " + c.encoder());
    }

    public static StrangerCurves of(StrangerCurve single) {
        return new StrangerCurves(single.encoder(), List.of(single));
    }

    /** The curve for a reference made of {@code templates} photos. */
    public StrangerCurve forTemplates(int templates) {
        return byTemplates.get(Math.min(Math.max(templates, 1), byTemplates.size()) - 1);
    }

    public static StrangerCurves read(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        String encoder = root.path("encoder").asText();
        JsonNode curves = root.path("curves");
        if (!curves.isArray() || curves.isEmpty()) throw new IOException(file + " has no 'curves'");
        List<StrangerCurve> list = new ArrayList<>();
        try {
            for (JsonNode c : curves) {
                JsonNode points = c.path("points");
                if (!points.isArray() || points.isEmpty()) throw new IOException(file + ": a curve has no 'points'");
                double[] d = new double[points.size()], r = new double[points.size()];
                for (int i = 0; i < d.length; i++) {
                    d[i] = points.get(i).path(0).asDouble(Double.NaN);
                    r[i] = points.get(i).path(1).asDouble(Double.NaN);
                }
                list.add(new StrangerCurve(encoder, c.path("pairs").asLong(), d, r));
            }
            return new StrangerCurves(encoder, list);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }
}
