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
            case "enroll", "enroll-and-hang" -> {
                // 150 photos in one enroll; 'enroll-and-hang' stops inside the transaction, just before the commit
                Gallery gallery = Gallery.open(dir);
                java.util.List<Gallery.TemplateInput> photos = new java.util.ArrayList<>();
                for (int i = 0; i < 150; i++)
                    photos.add(new Gallery.TemplateInput(GalleryTest.unit(1000 + i, 128), "doorman-128", GalleryTest.sha(i + 1), 0.9));
                if (args[0].equals("enroll-and-hang")) gallery.beforeCommit = () -> {
                    System.out.println("in transaction");
                    System.out.flush();
                    try {
                        Thread.sleep(60_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                };
                System.out.println("ready");
                System.out.flush();
                gallery.enroll("Kill Nine", photos);
                System.out.println("committed");
                System.out.flush();
                Runtime.getRuntime().halt(0);
            }
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }
}
