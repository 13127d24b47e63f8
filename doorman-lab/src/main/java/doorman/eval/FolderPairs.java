package doorman.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Verification pairs drawn from a folder-per-person dataset (lfw-train, ORL, an enrolment export).
 * Genuine pairs: every pair of a person's images, sampled down to a cap per person so one person with hundreds of
 * photos cannot dominate. Impostor pairs: two different people picked uniformly, then one image of each, without
 * repeats. Folds 0..9 are dealt round-robin over each class separately after a seeded shuffle, so every fold holds
 * about a tenth of the genuine and a tenth of the impostor pairs. The same seed always gives the same pairs.
 */
public final class FolderPairs {

    public static final int DEFAULT_GENUINE_PER_PERSON = 45;
    public static final int FOLDS = 10;
    /** Above this many possible impostor pairs, listing them all would not fit comfortably in memory. */
    private static final long MAX_ENUMERATED = 5_000_000;
    private static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "pgm", "bmp");

    private FolderPairs() {
    }

    /** Pairs with at most {@value #DEFAULT_GENUINE_PER_PERSON} genuine pairs per person. */
    public static List<FacePair> sample(Path root, int maxImpostors, long seed) throws IOException {
        return sample(root, maxImpostors, DEFAULT_GENUINE_PER_PERSON, seed);
    }

    public static List<FacePair> sample(Path root, int maxImpostors, int maxGenuinePerPerson, long seed)
            throws IOException {
        return sample(root, maxImpostors, maxGenuinePerPerson, seed, person -> true);
    }

    /** As {@link #sample(Path, int, int, long)}, over only the people whose folder name passes {@code people}. */
    public static List<FacePair> sample(Path root, int maxImpostors, int maxGenuinePerPerson, long seed,
                                        java.util.function.Predicate<String> keep) throws IOException {
        if (maxImpostors < 0) throw new IllegalArgumentException("maxImpostors must be >= 0, got " + maxImpostors);
        if (maxGenuinePerPerson < 0)
            throw new IllegalArgumentException("maxGenuinePerPerson must be >= 0, got " + maxGenuinePerPerson);
        List<List<Path>> people = people(root, keep);
        if (people.isEmpty()) throw new IllegalArgumentException("no person folders with images under " + root);
        Random random = new Random(seed);
        List<FacePair> genuine = genuine(people, maxGenuinePerPerson, random);
        List<FacePair> impostors = impostors(people, maxImpostors, random);
        List<FacePair> all = new ArrayList<>(genuine.size() + impostors.size());
        dealFolds(genuine, random, all);
        dealFolds(impostors, random, all);
        return List.copyOf(all);
    }

    /** Each person's images, sorted by name; people (folders) without images are left out. */
    static List<List<Path>> people(Path root) throws IOException {
        return people(root, person -> true);
    }

    /** Each kept person's images, sorted; people without images are left out. */
    public static List<List<Path>> people(Path root, java.util.function.Predicate<String> keep) throws IOException {
        if (!Files.isDirectory(root)) throw new IOException("not a folder: " + root);
        List<Path> folders;
        try (Stream<Path> s = Files.list(root)) {
            folders = s.filter(Files::isDirectory).filter(p -> !hidden(p))
                    .filter(p -> keep.test(p.getFileName().toString())).sorted().toList();
        }
        List<List<Path>> people = new ArrayList<>();
        for (Path folder : folders) {
            try (Stream<Path> s = Files.list(folder)) {
                List<Path> images = s.filter(FolderPairs::isImage).sorted().toList();
                if (!images.isEmpty()) people.add(images);
            }
        }
        return people;
    }

    static boolean isImage(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && !hidden(p) && Files.isRegularFile(p)
                && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static boolean hidden(Path p) {
        return p.getFileName().toString().startsWith(".");
    }

    private static List<FacePair> genuine(List<List<Path>> people, int cap, Random random) {
        List<FacePair> out = new ArrayList<>();
        for (List<Path> images : people) {
            List<int[]> pairs = new ArrayList<>();
            for (int i = 0; i < images.size(); i++)
                for (int j = i + 1; j < images.size(); j++) pairs.add(new int[]{i, j});
            if (pairs.size() > cap) {
                Collections.shuffle(pairs, random);
                pairs = pairs.subList(0, cap);
            }
            for (int[] p : pairs) out.add(new FacePair(images.get(p[0]), images.get(p[1]), true, 0));
        }
        return out;
    }

    private static List<FacePair> impostors(List<List<Path>> people, int wanted, Random random) {
        long possible = impostorPairCount(people);
        if (people.size() < 2 || wanted == 0) return List.of();
        if (wanted >= possible / 2) {
            if (possible > MAX_ENUMERATED)
                throw new IllegalArgumentException("asked for " + wanted + " impostor pairs out of " + possible
                        + " possible; ask for fewer than half of them");
            return allImpostors(people, (int) Math.min(wanted, possible), random);
        }
        // Rejection sampling: at most half of all impostor pairs are drawn, so repeats stay cheap.
        Set<List<Path>> seen = new HashSet<>();
        List<FacePair> out = new ArrayList<>(wanted);
        while (out.size() < wanted) {
            int a = random.nextInt(people.size());
            int b = random.nextInt(people.size() - 1);
            if (b >= a) b++;
            Path x = pick(people.get(a), random);
            Path y = pick(people.get(b), random);
            List<Path> key = x.compareTo(y) < 0 ? List.of(x, y) : List.of(y, x);
            if (seen.add(key)) out.add(new FacePair(key.get(0), key.get(1), false, 0));
        }
        return out;
    }

    private static List<FacePair> allImpostors(List<List<Path>> people, int wanted, Random random) {
        List<FacePair> all = new ArrayList<>();
        for (int a = 0; a < people.size(); a++)
            for (int b = a + 1; b < people.size(); b++)
                for (Path x : people.get(a))
                    for (Path y : people.get(b)) all.add(new FacePair(x, y, false, 0));
        Collections.shuffle(all, random);
        return new ArrayList<>(all.subList(0, wanted));
    }

    private static long impostorPairCount(List<List<Path>> people) {
        long total = 0;
        long squares = 0;
        for (List<Path> images : people) {
            total += images.size();
            squares += (long) images.size() * images.size();
        }
        return (total * total - squares) / 2;
    }

    private static Path pick(List<Path> images, Random random) {
        return images.get(random.nextInt(images.size()));
    }

    private static void dealFolds(List<FacePair> pairs, Random random, List<FacePair> out) {
        List<FacePair> shuffled = new ArrayList<>(pairs);
        Collections.shuffle(shuffled, random);
        for (int i = 0; i < shuffled.size(); i++) {
            FacePair p = shuffled.get(i);
            out.add(new FacePair(p.first(), p.second(), p.same(), i % FOLDS));
        }
    }
}
