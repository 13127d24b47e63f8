package doorman.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class PeerAccessTest {

    private final PeerAccess access = new PeerAccess("doorman", "doorman", Set.of("alice"));

    @Test
    void theDaemonsUserRootAndTheGroupPassEveryoneElseIsToldWhoMay() {
        assertTrue(access.refusal("doorman", "doorman").isEmpty());
        assertTrue(access.refusal("root", "root").isEmpty());
        assertTrue(access.refusal("bob", "doorman").isEmpty(), "the group as primary group");
        assertTrue(access.refusal("alice", "alice").isEmpty(), "a listed member of the group");
        assertEquals("user mallory may not use the running door daemon: only doorman, root and members of group doorman may",
                access.refusal("mallory", "mallory").orElseThrow());
        assertTrue(access.refusal("nobody", "nogroup").isPresent());
    }

    @Test
    void membersAreReadFromTheGroupFile(@TempDir Path dir) throws Exception {
        Path etcGroup = dir.resolve("group");
        Files.writeString(etcGroup, "root:x:0:\ndoorman:x:990:alice, carol\ndoormanish:x:991:mallory\n");
        PeerAccess read = PeerAccess.of("doorman", "doorman", etcGroup);
        assertEquals(Set.of("alice", "carol"), read.members());
        assertTrue(read.refusal("mallory", "mallory").isPresent(), "a member of a group with a similar name");
        assertEquals(Set.of(), PeerAccess.of("doorman", "doorman", dir.resolve("absent")).members());
    }
}
