package doorman.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An LFW pairs file (pairsDevTrain.txt, pairsDevTest.txt or the 10-fold pairs.txt) resolved against an image root.
 * The header is {@code N} (one set: N matched pairs, then N mismatched) or {@code F N} (F sets, each N matched then
 * N mismatched; set k becomes fold k). Image k of a person is {@code name/name_%04d.jpg} under the root.
 * Images that do not exist are not an error here: the evaluator reports them as failures, so a partial copy
 * of LFW still gives figures. {@code missingImages} lists them (each distinct path once).
 */
public record PairsFile(Path source, List<FacePair> pairs, int folds, List<Path> missingImages) {

    public PairsFile {
        pairs = List.copyOf(pairs);
        missingImages = List.copyOf(missingImages);
    }

    /** The pairs of {@code pairsFile}, images resolved under {@code root}. */
    public static List<FacePair> read(Path pairsFile, Path root) throws IOException {
        return load(pairsFile, root).pairs();
    }

    /** Like {@link #read} but also says how many folds the file has and which images are missing. */
    public static PairsFile load(Path pairsFile, Path root) throws IOException {
        List<String> lines = Files.readAllLines(pairsFile, StandardCharsets.UTF_8);
        int lineNo = 0;
        int[] header = null;
        List<FacePair> pairs = new ArrayList<>();
        int sets = 0;
        int perClass = 0;
        for (String raw : lines) {
            lineNo++;
            String line = lineNo == 1 && raw.startsWith("\uFEFF") ? raw.substring(1) : raw;
            if (line.isBlank()) continue;
            String[] f = line.trim().split("\\s+");
            if (header == null) {
                header = parseHeader(f, pairsFile, lineNo);
                sets = header.length == 1 ? 1 : header[0];
                perClass = header[header.length - 1];
                continue;
            }
            int index = pairs.size();
            if (index >= (long) sets * 2 * perClass)
                throw new PairsFileException(pairsFile, lineNo, "more pairs than the header promises ("
                        + sets + " set(s) of " + perClass + " matched + " + perClass + " mismatched)");
            int set = index / (2 * perClass);
            boolean expectSame = index % (2 * perClass) < perClass;
            pairs.add(parsePair(f, expectSame, set, root, pairsFile, lineNo));
        }
        if (header == null) throw new PairsFileException(pairsFile, Math.max(lineNo, 1), "empty pairs file");
        long expected = (long) sets * 2 * perClass;
        if (pairs.size() != expected)
            throw new PairsFileException(pairsFile, lineNo, "file ends after " + pairs.size()
                    + " pairs but the header promises " + expected);
        return new PairsFile(pairsFile, pairs, sets, missing(pairs));
    }

    private static int[] parseHeader(String[] f, Path file, int lineNo) throws PairsFileException {
        if (f.length != 1 && f.length != 2)
            throw new PairsFileException(file, lineNo, "header must be 'N' or 'SETS N', found " + f.length + " fields");
        int[] header = new int[f.length];
        for (int i = 0; i < f.length; i++) header[i] = positive(f[i], "header count", file, lineNo);
        return header;
    }

    private static FacePair parsePair(String[] f, boolean expectSame, int set, Path root, Path file, int lineNo)
            throws PairsFileException {
        if (f.length == 3) {
            if (!expectSame)
                throw new PairsFileException(file, lineNo, "expected a mismatched pair 'name1 i name2 j' here, "
                        + "found a matched pair 'name i j'");
            String name = name(f[0], file, lineNo);
            int i = positive(f[1], "image number", file, lineNo);
            int j = positive(f[2], "image number", file, lineNo);
            if (i == j) throw new PairsFileException(file, lineNo, "a matched pair needs two different images, both are " + i);
            return new FacePair(image(root, name, i), image(root, name, j), true, set);
        }
        if (f.length == 4) {
            if (expectSame)
                throw new PairsFileException(file, lineNo, "expected a matched pair 'name i j' here, "
                        + "found a mismatched pair 'name1 i name2 j'");
            String a = name(f[0], file, lineNo);
            int i = positive(f[1], "image number", file, lineNo);
            String b = name(f[2], file, lineNo);
            int j = positive(f[3], "image number", file, lineNo);
            if (a.equals(b)) throw new PairsFileException(file, lineNo, "a mismatched pair names the same person twice: " + a);
            return new FacePair(image(root, a, i), image(root, b, j), false, set);
        }
        throw new PairsFileException(file, lineNo, "expected 'name i j' or 'name1 i name2 j', found " + f.length + " fields");
    }

    private static int positive(String s, String what, Path file, int lineNo) throws PairsFileException {
        try {
            int v = Integer.parseInt(s);
            if (v >= 1) return v;
        } catch (NumberFormatException ignored) {
            // reported below with the offending text
        }
        throw new PairsFileException(file, lineNo, what + " must be a positive integer, found '" + s + "'");
    }

    /** Names become folder names, so anything that could step outside the root is refused. */
    private static String name(String s, Path file, int lineNo) throws PairsFileException {
        if (s.equals(".") || s.equals("..") || s.contains("/") || s.contains("\\") || s.matches("\\d+"))
            throw new PairsFileException(file, lineNo, "'" + s + "' is not a person's name");
        return s;
    }

    static Path image(Path root, String name, int number) {
        return root.resolve(name).resolve(String.format("%s_%04d.jpg", name, number));
    }

    private static List<Path> missing(List<FacePair> pairs) {
        Set<Path> distinct = new LinkedHashSet<>();
        for (FacePair p : pairs) {
            distinct.add(p.first());
            distinct.add(p.second());
        }
        List<Path> missing = new ArrayList<>();
        for (Path image : distinct) if (!Files.isRegularFile(image)) missing.add(image);
        return missing;
    }
}
