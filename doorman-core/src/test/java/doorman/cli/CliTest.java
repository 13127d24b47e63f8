package doorman.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import doorman.TestData;
import doorman.gallery.Gallery;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The doorman command end to end: real photos, real models, a real MapDB store in a temporary folder. */
class CliTest {

    record Run(int exit, String out, String err) {}

    static Path salley1, salley2, savage, group, dogs;

    @TempDir
    Path data;

    @BeforeAll
    static void photos() {
        Path johns = TestData.dataset("samples/johns");
        List<Path> salley = TestData.images(johns.resolve("John_Salley"));
        salley1 = salley.get(0);
        salley2 = salley.get(1);
        savage = TestData.images(johns.resolve("John_Savage")).get(0);
        group = TestData.dataset("samples/group-photos/bald_guys.jpg");
        dogs = TestData.dataset("samples/group-photos/dogs.jpg");
        TestData.model("mobilefacenet-b1.tflite");
    }

    Run doorman(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--data=" + data);
        StringWriter out = new StringWriter(), err = new StringWriter();
        int exit = Doorman.execute(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    Run plain(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int exit = Doorman.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void enrollThenIdentifyAndVerify() throws IOException {
        Run enroll = doorman("enroll", "John Salley", salley1.toString());
        assertEquals(0, enroll.exit(), enroll.err());
        assertTrue(enroll.out().contains("enrolled John Salley: 1 new template"), enroll.out());

        Run same = doorman("identify", salley2.toString());
        assertEquals(0, same.exit(), same.out() + same.err());
        assertTrue(same.out().startsWith("John Salley: distance"), same.out());

        Run stranger = doorman("identify", savage.toString());
        assertEquals(1, stranger.exit(), stranger.out() + stranger.err());
        assertTrue(stranger.out().startsWith("not in database"), stranger.out());

        Run json = doorman("identify", salley2.toString(), "--json");
        JsonNode node = new ObjectMapper().readTree(json.out());
        assertTrue(node.get("found").asBoolean());
        assertEquals("John Salley", node.get("closest").asText());
        assertTrue(node.get("probability").asDouble() > 0.5, json.out());

        Run asPerson = doorman("verify", salley2.toString(), "--as", "john salley");
        assertEquals(0, asPerson.exit(), asPerson.out() + asPerson.err());
        Run notHim = doorman("verify", savage.toString(), "--as", "John Salley");
        assertEquals(1, notHim.exit(), notHim.out());
        assertTrue(notHim.out().startsWith("no match"), notHim.out());
    }

    @Test
    void verifyTwoPhotos() {
        Run same = plain("verify", salley1.toString(), salley2.toString());
        assertEquals(0, same.exit(), same.out() + same.err());
        assertTrue(same.out().startsWith("match: "), same.out());
        Run different = plain("verify", salley1.toString(), savage.toString());
        assertEquals(1, different.exit(), different.out() + different.err());
        Run usage = plain("verify", salley1.toString());
        assertEquals(2, usage.exit(), usage.err());
    }

    @Test
    void enrollIsAllOrNothing() {
        Run mixed = doorman("enroll", "Someone", salley1.toString(), group.toString());
        assertEquals(3, mixed.exit());
        assertTrue(mixed.err().contains("19 faces in the photo; enrollment needs one person"), mixed.err());
        assertTrue(mixed.err().contains("nothing enrolled"), mixed.err());
        Run noFace = doorman("enroll", "Someone", dogs.toString());
        assertEquals(3, noFace.exit());
        assertTrue(noFace.err().contains("no face found"), noFace.err());
        Run people = doorman("people", "--json");
        assertTrue(people.out().trim().startsWith("{\"people\":[],\"door\":{"), people.out());
        assertTrue(people.out().contains("\"recognisable\":0"), "nobody enrolled, nobody recognisable: " + people.out());
    }

    @Test
    void badFilesGetOneLineAndExitThree() throws IOException {
        Path corrupt = data.resolve("corrupt.jpg");
        Files.write(corrupt, new byte[]{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2, 3, 4, 5});
        Path empty = Files.createFile(data.resolve("empty.png"));
        for (Path bad : List.of(corrupt, empty, data.resolve("missing.jpg"))) {
            Run r = doorman("identify", bad.toString());
            assertEquals(3, r.exit(), bad + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().startsWith("doorman: "), r.err());
        }
    }

    @Test
    void severalFacesIdentifyTheLargestAndSaySo() {
        Run r = doorman("identify", group.toString());
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.out().contains("faces in bald_guys.jpg; used the largest"), r.out());
    }

    @Test
    void peopleAreListedRenamedDisabledAndRemoved() {
        assertEquals(0, doorman("enroll", "Ann", salley1.toString()).exit());
        assertEquals(0, doorman("enroll", "Ann", salley2.toString()).exit());
        Run again = doorman("enroll", "Ann", salley2.toString());
        assertTrue(again.out().contains("1 photo(s) already enrolled"), again.out());
        Run listed = doorman("people");
        assertTrue(listed.out().contains("2 template(s)"));
        assertTrue(listed.out().contains("door (doorman-128): 1 recognisable") && listed.out().contains("expected stranger accept per visit"),
                listed.out());
        assertEquals(0, doorman("people", "rename", "Ann", "Anna").exit());
        assertEquals(0, doorman("people", "disable", "Anna").exit());
        assertTrue(doorman("people").out().contains("(disabled)"));
        Run unknownWhileDisabled = doorman("identify", salley2.toString());
        assertEquals(1, unknownWhileDisabled.exit(), "a disabled person is never identified");
        Run scheduled = doorman("people", "schedule", "Anna", "Mon-Fri 08:00-18:00");
        assertEquals(0, scheduled.exit(), scheduled.err());
        assertTrue(doorman("people").out().contains("mon-fri 08:00-18:00"), "the schedule is listed");
        assertEquals(3, doorman("people", "schedule", "Anna", "someday 25:00").exit(), "a malformed schedule is refused");
        Run removed = doorman("people", "remove", "Anna");
        assertTrue(removed.out().contains("removed Anna and 2 template(s)"), removed.out());
        assertEquals(3, doorman("people", "remove", "Anna").exit());

        // every change above is in the audit log, in order; the refused ones are not
        try (doorman.audit.AuditLog audit = doorman.audit.AuditLog.open(data, doorman.config.AuditConfig.defaults(),
                java.time.Clock.systemUTC())) {
            List<String> reasons = new ArrayList<>(audit.query(new doorman.audit.AuditQuery(null, null, null,
                    doorman.policy.Action.ADMIN, 0, 100)).stream().map(doorman.audit.AuditEvent::reason).toList());
            java.util.Collections.reverse(reasons);
            assertEquals(6, reasons.size(), reasons.toString());
            assertTrue(reasons.get(0).startsWith("enrolled with 1 new template(s)"), reasons.toString());
            assertTrue(reasons.get(1).startsWith("enrolled with 1 new template(s)"), reasons.toString());
            assertTrue(reasons.get(2).startsWith("renamed Ann to Anna"), reasons.toString());
            assertTrue(reasons.get(3).startsWith("disabled Anna"), reasons.toString());
            assertTrue(reasons.get(4).startsWith("Anna may open the door mon-fri 08:00-18:00"), reasons.toString());
            assertTrue(reasons.get(5).startsWith("removed Anna and 2 template(s)"), reasons.toString());
            assertTrue(reasons.stream().allMatch(r -> r.contains("(command line, user ")), reasons.toString());
        }
    }

    @Test
    void aStoreInUseIsRefusedWithExitFour() {
        try (Gallery held = Gallery.open(data)) {
            Run r = doorman("people");
            assertEquals(4, r.exit(), r.err());
            assertTrue(r.err().contains("in use"), r.err());
        }
    }

    @Test
    void labCommandsAreNotPartOfTheProduct() {
        assertEquals(2, plain("eval", "--folder", "x").exit(), "eval lives in doorman-lab");
        assertEquals(2, plain("train").exit(), "train lives in doorman-lab");
    }

    @Test
    void everySubcommandHasHelpAndUsageErrorsAreOneLine() {
        for (String command : new String[]{"enroll", "verify", "identify", "people", "run", "serve"}) {
            Run help = plain(command, "--help");
            assertEquals(0, help.exit(), command + ": " + help.err());
            assertTrue(help.out().startsWith("Usage: doorman " + command), help.out());
            assertEquals(0, plain(command, "-h").exit(), command);
        }
        Run missing = plain("enroll");
        assertEquals(2, missing.exit());
        assertEquals(1, missing.err().strip().lines().count(), missing.err());
        assertTrue(missing.err().startsWith("doorman: Missing required parameters"), missing.err());
        assertEquals(2, plain("verify", "a.jpg", "b.jpg", "c.jpg").exit(), "a third photo is a usage error, not ignored");
    }

    @Test
    void theDoorsConfigDecidesLikeTheDoorAndRefusesFlagsThatWouldContradictIt(@TempDir Path dir) throws IOException {
        Path config = dir.resolve("door.yaml");
        // the door refuses faces smaller than 500 px between the eyes: no sample photo passes its gate
        Files.writeString(config, "data-dir: " + data + "\nquality: {min-eye-distance: 500}\n");
        Run strict = doorman("enroll", "Ann", salley1.toString(), "--config", config.toString());
        assertEquals(3, strict.exit(), strict.err());
        assertTrue(strict.err().contains("face too small"), strict.err());
        Run both = doorman("enroll", "Ann", salley1.toString(), "--config", config.toString(), "--encoder", "192");
        assertEquals(2, both.exit(), both.err());
        assertTrue(both.err().contains("leave out --encoder"), both.err());
    }

    @Test
    void unknownOptionsAreUsageErrors() {
        assertEquals(2, plain("identify", "--no-such-option", "x.jpg").exit());
        assertEquals(3, plain("identify", salley1.toString(), "--detector", "medium").exit());
    }
}
