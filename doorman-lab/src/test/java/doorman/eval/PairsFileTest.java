package doorman.eval;

import doorman.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PairsFileTest {

    @TempDir
    Path dir;

    @Test
    void readsTheRealDevTrainFile() throws IOException {
        Path pairsFile = TestData.dataset("lfw-meta/pairsDevTrain.txt");
        Path root = TestData.dataset("lfw-train");
        PairsFile file = PairsFile.load(pairsFile, root);
        List<FacePair> pairs = file.pairs();
        assertEquals(2200, pairs.size());
        assertEquals(1100, pairs.stream().filter(FacePair::same).count());
        assertTrue(pairs.subList(0, 1100).stream().allMatch(FacePair::same), "matched pairs come first");
        assertTrue(pairs.stream().allMatch(p -> p.fold() == 0));
        assertEquals(1, file.folds());
        assertEquals(root.resolve("Aaron_Peirsol/Aaron_Peirsol_0001.jpg"), pairs.get(0).first());
        assertEquals(root.resolve("Aaron_Peirsol/Aaron_Peirsol_0002.jpg"), pairs.get(0).second());
        assertEquals(List.of(), file.missingImages(), "lfw-train holds every image of the dev-train pairs");
    }

    @Test
    void readsFoldsAndCountsMissingImages() throws IOException {
        Path pairsFile = write("""
                2\t2
                Ann\t1\t2
                Bob\t1\t3
                Ann\t1\tBob\t2
                Cy\t4\tAnn\t2

                Cy\t1\t2
                Ann\t2\t3
                Bob\t1\tCy\t1
                Ann\t3\tCy\t2
                """);
        Path root = dir.resolve("images");
        image(root, "Ann", 1);
        image(root, "Ann", 2);
        image(root, "Bob", 1);
        PairsFile file = PairsFile.load(pairsFile, root);
        List<FacePair> pairs = file.pairs();
        assertEquals(8, pairs.size());
        assertEquals(2, file.folds());
        assertEquals(List.of(0, 0, 0, 0, 1, 1, 1, 1), pairs.stream().map(FacePair::fold).toList());
        assertEquals(List.of(true, true, false, false, true, true, false, false),
                pairs.stream().map(FacePair::same).toList());
        assertEquals(new FacePair(root.resolve("Cy/Cy_0004.jpg"), root.resolve("Ann/Ann_0002.jpg"), false, 0), pairs.get(3));
        // distinct images named: Ann 1,2,3; Bob 1,2,3; Cy 1,2,4 -> 9, of which 3 exist
        assertEquals(6, file.missingImages().size());
        assertFalse(file.missingImages().contains(root.resolve("Ann/Ann_0001.jpg")));
        assertEquals(pairs, PairsFile.read(pairsFile, root));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            header with three numbers    | 1 2 3;A 1 2;B 1 C 2                           | 1 | header must be
            header not a number          | two;A 1 2;B 1 C 2                             | 1 | positive integer
            zero pairs per set           | 1 0;A 1 2                                     | 1 | positive integer
            two fields                   | 1;A 1;B 1 C 2                                 | 2 | found 2 fields
            five fields                  | 1;A 1 2;B 1 C 2 3                             | 3 | found 5 fields
            image number not a number    | 1;A one 2;B 1 C 2                             | 2 | 'one'
            image number zero            | 1;A 0 2;B 1 C 2                               | 2 | positive integer
            negative image number        | 1;A 1 2;B -1 C 2                              | 3 | '-1'
            same image twice             | 1;A 2 2;B 1 C 2                               | 2 | two different images
            mismatched where matched due | 1;B 1 C 2;A 1 2                               | 2 | expected a matched pair
            matched where mismatched due | 1;A 1 2;C 1 2                                 | 3 | expected a mismatched pair
            one person as mismatch       | 1;A 1 2;B 1 B 2                               | 3 | same person twice
            name escaping the root       | 1;../etc 1 2;B 1 C 2                          | 2 | not a person's name
            too many pairs               | 1;A 1 2;B 1 C 2;D 1 E 2                       | 4 | more pairs than the header
            too few pairs                | 2 1;A 1 2;B 1 C 2;D 1 2                       | 4 | file ends after 3 pairs
            """)
    void badLinesNameFileAndLine(String caseName, String content, int line, String problem) throws IOException {
        Path pairsFile = write(content.replace(';', '\n') + "\n");
        PairsFileException e = assertThrows(PairsFileException.class, () -> PairsFile.read(pairsFile, dir));
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(pairsFile, e.file());
        assertTrue(e.getMessage().startsWith(pairsFile + ":" + line + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void emptyFileIsAnError() throws IOException {
        Path pairsFile = write("\n\n");
        PairsFileException e = assertThrows(PairsFileException.class, () -> PairsFile.read(pairsFile, dir));
        assertTrue(e.getMessage().contains("empty pairs file"), e.getMessage());
    }

    private Path write(String content) throws IOException {
        Path file = dir.resolve("pairs.txt");
        Files.writeString(file, content);
        return file;
    }

    private static void image(Path root, String name, int number) throws IOException {
        Path p = PairsFile.image(root, name, number);
        Files.createDirectories(p.getParent());
        Files.write(p, new byte[]{1});
    }
}
