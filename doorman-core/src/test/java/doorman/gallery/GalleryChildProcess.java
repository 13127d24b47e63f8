package doorman.gallery;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A second JVM for {@link GalleryProcessTest}. Modes: {@code crash} adds a person and a template, then halts
 * without closing; {@code hold} opens the store and keeps it until stdin closes; {@code try} reports whether
 * it could open the store.
 */
public final class GalleryChildProcess {

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[1]);
        switch (args[0]) {
            case "crash" -> {
                Gallery gallery = Gallery.open(dir);
                Person person = gallery.addPerson("Crash Survivor");
                Template template = gallery.addTemplate(person.id(), GalleryTest.unit(42, 192), GalleryTest.ENCODER,
                        GalleryTest.sha(42), 0.8);
                System.out.println("committed " + person.id() + " " + template.id());
                System.out.flush();
                Runtime.getRuntime().halt(17); // no close, no shutdown hooks: as if the power went
            }
            case "hold" -> {
                try (Gallery gallery = Gallery.open(dir)) {
                    System.out.println("open " + ProcessHandle.current().pid());
                    System.out.flush();
                    while (System.in.read() != -1) {
                        // wait for the parent to close our stdin
                    }
                }
            }
            case "try" -> {
                try (Gallery gallery = Gallery.open(dir)) {
                    System.out.println("opened");
                } catch (GalleryException e) {
                    System.out.println("refused: " + e.getMessage());
                }
            }
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }
}
