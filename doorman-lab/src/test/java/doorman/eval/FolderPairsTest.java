package doorman.eval;

import doorman.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FolderPairsTest {

    @TempDir
    Path dir;

    @Test
    void samplesOrlIntoBalancedFolds() throws IOException {
        Path orl = TestData.dataset("orl");
        List<FacePair> pairs = FolderPairs.sample(orl, 2000, 7);
        List<FacePair> genuine = pairs.stream().filter(FacePair::same).toList();
        List<FacePair> impostors = pairs.stream().filter(p -> !p.same()).toList();
        assertEquals(40 * 45, genuine.size(), "10 photos give 45 pairs per person, all within the cap");
        assertEquals(2000, impostors.size());
        assertTrue(genuine.stream().allMatch(p -> person(p.first()).equals(person(p.second()))));
        assertTrue(impostors.stream().noneMatch(p -> person(p.first()).equals(person(p.second()))));
        assertTrue(pairs.stream().noneMatch(p -> p.first().equals(p.second())));
        assertEquals(pairs.size(), unordered(pairs).size(), "no pair repeats");
        for (int fold = 0; fold < 10; fold++) {
            int f = fold;
            assertEquals(180, genuine.stream().filter(p -> p.fold() == f).count(), "genuine pairs in fold " + f);
            assertEquals(200, impostors.stream().filter(p -> p.fold() == f).count(), "impostor pairs in fold " + f);
        }
        long impostorPeople = impostors.stream().flatMap(p -> java.util.stream.Stream.of(p.first(), p.second()))
                .map(FolderPairsTest::person).distinct().count();
        assertEquals(40, impostorPeople, "impostor pairs reach every person");

        assertEquals(pairs, FolderPairs.sample(orl, 2000, 7), "same seed, same pairs");
        assertNotEquals(pairs, FolderPairs.sample(orl, 2000, 8));
    }

    @Test
    void capsGenuinePairsPerPerson() throws IOException {
        Path orl = TestData.dataset("orl");
        List<FacePair> pairs = FolderPairs.sample(orl, 10, 12, 1);
        assertEquals(40 * 12, pairs.stream().filter(FacePair::same).count());
        assertEquals(10, pairs.stream().filter(p -> !p.same()).count());
    }

    @Test
    void findsImagesByExtensionAndTakesAllImpostorsWhenFewExist() throws IOException {
        touch("ann/a.jpg", "ann/b.JPEG", "ann/notes.txt", "ann/.hidden.jpg", "bob/x.png", "bob/y.bmp", "bob/z.pgm",
                "cy/only.jpg", "empty/readme.md");
        List<FacePair> pairs = FolderPairs.sample(dir, 1000, 3);
        // genuine: ann 1 pair, bob 3 pairs, cy none; impostors: 2*3 + 2*1 + 3*1 = 11, all taken
        assertEquals(4, pairs.stream().filter(FacePair::same).count());
        assertEquals(11, pairs.stream().filter(p -> !p.same()).count());
        assertEquals(15, unordered(pairs).size());
        assertTrue(pairs.stream().allMatch(p -> p.fold() >= 0 && p.fold() < 10));
        Set<String> names = new HashSet<>();
        pairs.forEach(p -> {
            names.add(p.first().getFileName().toString());
            names.add(p.second().getFileName().toString());
        });
        assertEquals(Set.of("a.jpg", "b.JPEG", "x.png", "y.bmp", "z.pgm", "only.jpg"), names);
    }

    @Test
    void refusesAFolderWithoutPeople() throws IOException {
        touch("loose.jpg");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FolderPairs.sample(dir, 5, 1));
        assertTrue(e.getMessage().contains("no person folders"), e.getMessage());
        assertThrows(IOException.class, () -> FolderPairs.sample(dir.resolve("absent"), 5, 1));
    }

    private void touch(String... files) throws IOException {
        for (String f : files) {
            Path p = dir.resolve(f);
            Files.createDirectories(p.getParent());
            Files.write(p, new byte[]{0});
        }
    }

    private static String person(Path image) {
        return image.getParent().getFileName().toString();
    }

    private static Set<Set<Path>> unordered(List<FacePair> pairs) {
        Set<Set<Path>> set = new HashSet<>();
        for (FacePair p : pairs) set.add(Set.of(p.first(), p.second()));
        return set;
    }
}
