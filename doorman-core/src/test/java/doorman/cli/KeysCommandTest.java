package doorman.cli;

import doorman.audit.AuditEvent;
import doorman.audit.AuditLog;
import doorman.audit.AuditQuery;
import doorman.config.AuditConfig;
import doorman.embedding.Embedding;
import doorman.gallery.Gallery;
import doorman.policy.Action;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** {@code doorman keys rotate} from the command line: the answer, the audit event, the refusal while in use. */
class KeysCommandTest {

    @TempDir
    Path data;

    @Test
    void rotateAnswersAuditsAndIsRefusedWhileTheStoreIsInUse() throws Exception {
        try (Gallery gallery = Gallery.open(data)) {
            gallery.enroll("Ada", List.of(input(1), input(2)));
            gallery.enroll("Alan", List.of(input(3)));
        }
        byte[] keysBefore = Files.readAllBytes(data.resolve("gallery.keys"));

        StringWriter out = new StringWriter(), err = new StringWriter();
        int exit = Doorman.execute(new PrintWriter(out, true), new PrintWriter(err, true), "keys", "rotate", "--data", data.toString());
        assertEquals(Doorman.OK, exit, err.toString());
        assertTrue(out.toString().startsWith("keys rotated: 2 people, 3 templates; back up the new "), out.toString());
        assertFalse(java.util.Arrays.equals(keysBefore, Files.readAllBytes(data.resolve("gallery.keys"))));
        try (AuditLog audit = AuditLog.open(data, AuditConfig.defaults(), Clock.systemUTC())) {
            List<String> reasons = audit.query(new AuditQuery(null, null, null, Action.ADMIN, 0, 10)).stream()
                    .map(AuditEvent::reason).toList();
            assertEquals(1, reasons.size(), reasons.toString());
            assertTrue(reasons.get(0).startsWith("keys rotated: 2 people, 3 templates (command line, user "), reasons.toString());
        }

        try (Gallery inUse = Gallery.open(data)) {
            StringWriter err2 = new StringWriter();
            int refused = Doorman.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err2, true),
                    "keys", "rotate", "--data", data.toString());
            assertEquals(Doorman.STORE, refused);
            assertTrue(err2.toString().startsWith("doorman: ") && err2.toString().contains("in use"), err2.toString());
            assertEquals(1, err2.toString().strip().lines().count(), "one line");
        }
        assertEquals(Doorman.USAGE, Doorman.execute(new PrintWriter(new StringWriter(), true),
                new PrintWriter(new StringWriter(), true), "keys", "spin", "--data", data.toString()));
    }

    private static Gallery.TemplateInput input(int n) {
        java.util.Random random = new java.util.Random(n);
        float[] raw = new float[128];
        for (int i = 0; i < raw.length; i++) raw[i] = (float) random.nextGaussian();
        return new Gallery.TemplateInput(Embedding.normalised(raw), "doorman-128", "%064x".formatted(n), 0.9);
    }
}
