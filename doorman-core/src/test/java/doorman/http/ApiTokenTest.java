package doorman.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.*;

class ApiTokenTest {

    @TempDir
    Path dir;

    @Test
    void firstStartMakesAnOwnerOnlyTokenAndPrintsItOnce() throws IOException {
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        ApiToken made = ApiToken.loadOrCreate(dir.resolve("data"), new PrintStream(first, true, StandardCharsets.UTF_8));
        Path file = dir.resolve("data").resolve(ApiToken.FILE_NAME);
        String token = Files.readString(file).strip();

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(token.matches("[A-Za-z0-9_-]{43}"), "32 bytes as unpadded base64url: " + token);
        assertTrue(first.toString(StandardCharsets.UTF_8).contains(token));
        assertTrue(made.matches(token));
        assertFalse(made.matches(token + "x"));
        assertFalse(made.matches(""));
        assertFalse(made.matches(null));
        try (var files = Files.list(dir.resolve("data"))) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }

        ByteArrayOutputStream second = new ByteArrayOutputStream();
        ApiToken read = ApiToken.loadOrCreate(dir.resolve("data"), new PrintStream(second, true, StandardCharsets.UTF_8));
        assertTrue(read.matches(token));
        assertEquals("", second.toString(StandardCharsets.UTF_8), "the token is shown on creation only");
    }

    @Test
    void tokensDifferBetweenInstallations() throws IOException {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        ApiToken.loadOrCreate(dir.resolve("a"), quiet);
        ApiToken.loadOrCreate(dir.resolve("b"), quiet);
        assertNotEquals(Files.readString(dir.resolve("a/api-token")), Files.readString(dir.resolve("b/api-token")));
    }

    @Test
    void aTokenFileReadableByOthersIsTightened() throws IOException {
        Path file = dir.resolve(ApiToken.FILE_NAME);
        String token = ApiToken.newToken();
        Files.writeString(file, token + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        ApiToken read = ApiToken.loadOrCreate(dir, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertTrue(read.matches(token));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void aMalformedTokenFileIsRefusedWithItsPath() throws IOException {
        Path file = dir.resolve(ApiToken.FILE_NAME);
        Files.writeString(file, "short");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        IOException e = assertThrows(IOException.class,
                () -> ApiToken.loadOrCreate(dir, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains(file.toAbsolutePath().toString()), e.getMessage());
    }
}
