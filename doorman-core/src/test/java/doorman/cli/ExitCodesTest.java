package doorman.cli;

import doorman.TestData;
import doorman.gallery.Gallery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** The exit-code table in README.md is the code's: each documented code is provoked, and the table lists exactly them. */
class ExitCodesTest {

    private static final Pattern ROW = Pattern.compile("(?m)^\\| (\\d) \\| (.+) \\|$");

    @TempDir
    Path dir;

    record Run(int exit, String err) {}

    static Run doorman(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int exit = Doorman.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(exit, err.toString());
    }

    @Test
    void everyDocumentedCodeHappensAndTheReadmeListsThem() throws IOException {
        Path johns = TestData.dataset("samples/johns");
        Path salley1 = TestData.images(johns.resolve("John_Salley")).get(0);
        Path salley2 = TestData.images(johns.resolve("John_Salley")).get(1);
        Path savage = TestData.images(johns.resolve("John_Savage")).get(0);
        Path dogs = TestData.dataset("samples/group-photos/dogs.jpg");
        TestData.model("mobilefacenet-b1.tflite");
        Path data = dir.resolve("data");

        Map<Integer, Run> seen = new TreeMap<>();
        seen.put(0, doorman("verify", salley1.toString(), salley2.toString()));
        seen.put(1, doorman("verify", salley1.toString(), savage.toString()));
        seen.put(2, doorman("verify", salley1.toString(), salley2.toString(), savage.toString()));
        seen.put(3, doorman("identify", dogs.toString(), "--data", data.toString()));
        try (Gallery held = Gallery.open(data)) {
            seen.put(4, doorman("people", "--data", data.toString()));
        }
        seen.put(5, doorman("identify", salley1.toString(), "--models", dir.resolve("no-models").toString()));
        seen.forEach((code, run) -> assertEquals(code, run.exit(), "code " + code + ": " + run.err()));
        seen.forEach((code, run) -> {
            if (code >= 2) assertTrue(run.err().startsWith("doorman: ") && run.err().strip().lines().count() == 1,
                    "code " + code + " explained in one line: " + run.err());
        });

        // a config file with a wrong key is bad input, as the table says
        Path config = dir.resolve("door.yaml");
        Files.writeString(config, "data-dir: " + data + "\ncamera: {typo: 1}\n");
        Run badConfig = doorman("identify", salley1.toString(), "--config", config.toString());
        assertEquals(3, badConfig.exit(), badConfig.err());
        assertTrue(badConfig.err().contains("typo"), badConfig.err());
        Run badConfigRun = doorman("run", "--config", config.toString());
        assertEquals(3, badConfigRun.exit(), badConfigRun.err());
        // a data-dir that is a file is named as such
        Path aFile = Files.writeString(dir.resolve("not-a-folder"), "x");
        Files.writeString(config, "data-dir: " + aFile + "\nlock: {type: dry-run}\n");
        Run dataDirIsAFile = doorman("serve", "--config", config.toString());
        assertEquals(3, dataDirIsAFile.exit(), dataDirIsAFile.err());
        assertTrue(dataDirIsAFile.err().contains("exists and is not a folder"), dataDirIsAFile.err());
        // serve is the page: a config that turns the page off is refused in one line, not ignored
        Files.writeString(config, "data-dir: " + data + "\nhttp: {enabled: false}\nlock: {type: dry-run}\n");
        Run serveWithoutHttp = doorman("serve", "--config", config.toString());
        assertEquals(3, serveWithoutHttp.exit(), serveWithoutHttp.err());
        assertTrue(serveWithoutHttp.err().contains("http.enabled is false"), serveWithoutHttp.err());

        Path readme = Path.of(System.getProperty("doorman.root", ".")).resolve("README.md");
        Matcher rows = ROW.matcher(Files.readString(readme));
        Map<Integer, String> documented = new TreeMap<>();
        while (rows.find()) documented.put(Integer.parseInt(rows.group(1)), rows.group(2));
        assertEquals(seen.keySet(), documented.keySet(), "README's exit-code table: " + documented);
        assertTrue(documented.get(3).contains("config"), documented.get(3));
        assertEquals(List.of(0, 1, 2, 3, 4, 5), List.of(Doorman.OK, Doorman.NEGATIVE, Doorman.USAGE, Doorman.BAD_INPUT,
                Doorman.STORE, Doorman.FAILURE));
    }
}
