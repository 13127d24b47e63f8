package doorman.match;

import doorman.embedding.Embedding;
import doorman.gallery.Gallery;
import doorman.gallery.Person;
import doorman.gallery.Template;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Synthetic faces: each person is a seeded random unit vector, each photo of them that vector plus Gaussian
 * noise, renormalised. With noise of length about 0.3 two photos of one person lie about 0.2 apart, while two
 * people lie about 2 apart (random directions in 128 dimensions are nearly orthogonal).
 */
class MatcherTest {

    static final String ENCODER = "synthetic-128";
    static final int DIM = 128;
    static final double NOISE = 0.3 / Math.sqrt(DIM);
    static final Calibration CALIBRATION = new Calibration(ENCODER, -12, 6, 0.5, 1.0, 1e-3);
    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    final Random random = new Random(20250101);

    Embedding randomUnit() {
        float[] raw = new float[DIM];
        for (int i = 0; i < DIM; i++) raw[i] = (float) random.nextGaussian();
        return Embedding.normalised(raw);
    }

    Embedding photoOf(Embedding face, double noise) {
        float[] raw = face.toArray();
        for (int i = 0; i < DIM; i++) raw[i] += (float) (noise * random.nextGaussian());
        return Embedding.normalised(raw);
    }

    /** A mix of two faces: weight 0 is {@code a}, 1 is {@code b}. */
    static Embedding between(Embedding a, Embedding b, double weight) {
        float[] raw = new float[DIM];
        for (int i = 0; i < DIM; i++) raw[i] = (float) ((1 - weight) * a.values()[i] + weight * b.values()[i]);
        return Embedding.normalised(raw);
    }

    static Person person(long id, boolean enabled) {
        return new Person(id, "person " + id, T0, enabled);
    }

    static Template template(long id, long personId, Embedding embedding) {
        return new Template(id, personId, embedding, ENCODER, "%064x".formatted(id), 0.9, T0);
    }

    /** People 1..count, each with {@code photos} templates around their own random face. */
    record Synthetic(List<Person> people, List<Template> templates, List<Embedding> faces) {
    }

    Synthetic enrol(int count, int photos) {
        List<Person> people = new ArrayList<>();
        List<Template> templates = new ArrayList<>();
        List<Embedding> faces = new ArrayList<>();
        for (int p = 1; p <= count; p++) {
            Embedding face = randomUnit();
            faces.add(face);
            people.add(person(p, true));
            for (int k = 0; k < photos; k++) templates.add(template(templates.size() + 1, p, photoOf(face, NOISE)));
        }
        return new Synthetic(people, templates, faces);
    }

    static double bruteForceMin(Embedding probe, List<Template> templates, long personId) {
        return templates.stream().filter(t -> t.personId() == personId)
                .mapToDouble(t -> probe.distance(t.embedding())).min().orElse(Double.POSITIVE_INFINITY);
    }

    @Test
    void verifiesGenuineAndImpostorProbes() {
        Synthetic gallery = enrol(20, 3);
        Matcher matcher = new Matcher(CALIBRATION, gallery.people(), gallery.templates());
        for (int p = 1; p <= 20; p++) {
            Embedding probe = photoOf(gallery.faces().get(p - 1), NOISE);
            Match genuine = matcher.verify(probe, p);
            assertEquals(p, genuine.personId());
            assertEquals("person " + p, genuine.name());
            assertEquals(bruteForceMin(probe, gallery.templates(), p), genuine.distance(), 1e-5);
            assertEquals(Recognition.ACCEPT, genuine.decision(), "distance " + genuine.distance());
            assertEquals(CALIBRATION.probabilitySame(genuine.distance()), genuine.probability(), 1e-12);

            long other = p % 20 + 1;
            Match impostor = matcher.verify(probe, other);
            assertEquals(Recognition.STRANGER, impostor.decision(), "distance " + impostor.distance());
            assertTrue(impostor.probability() < genuine.probability());
        }
    }

    @Test
    void identifiesEachPersonWithTheRunnerUpDistance() {
        Synthetic gallery = enrol(50, 4);
        Matcher matcher = new Matcher(CALIBRATION, gallery.people(), gallery.templates());
        assertEquals(200, matcher.size());
        assertEquals(DIM, matcher.dimension());
        for (int p = 1; p <= 50; p++) {
            Embedding probe = photoOf(gallery.faces().get(p - 1), NOISE);
            Identification result = matcher.identify(probe).orElseThrow();
            assertEquals(p, result.best().personId());
            assertTrue(result.best().accepted());
            double runnerUp = Double.POSITIVE_INFINITY;
            for (int q = 1; q <= 50; q++)
                if (q != p) runnerUp = Math.min(runnerUp, bruteForceMin(probe, gallery.templates(), q));
            assertEquals(runnerUp, result.secondDistance(), 1e-5);
            assertTrue(result.gap() > 1, "gap " + result.gap());
        }
    }

    @Test
    void callsAStrangerAStranger() {
        Synthetic gallery = enrol(30, 2);
        Matcher matcher = new Matcher(CALIBRATION, gallery.people(), gallery.templates());
        for (int i = 0; i < 20; i++) {
            Match best = matcher.identify(randomUnit()).orElseThrow().best();
            assertEquals(Recognition.STRANGER, best.decision(), "distance " + best.distance());
        }
    }

    @Test
    void isUncertainBetweenTheMargins() {
        Synthetic gallery = enrol(3, 1);
        Embedding face = gallery.faces().get(0);
        Embedding probe = between(face, randomUnit(), 0.45); // far from person 1, not as far as a stranger
        double distance = probe.distance(gallery.templates().get(0).embedding());
        Calibration margins = new Calibration(ENCODER, -12, 6, distance - 0.05, distance + 0.05, 1e-3);
        Matcher matcher = new Matcher(margins, gallery.people(), gallery.templates());
        assertEquals(Recognition.UNCERTAIN, matcher.verify(probe, 1).decision());
        assertEquals(Recognition.UNCERTAIN, matcher.identify(probe).orElseThrow().best().decision());
    }

    @Test
    void anExactTieIsNeverAccepted() {
        Embedding shared = randomUnit();
        List<Person> twins = List.of(person(1, true), person(2, true));
        List<Template> templates = List.of(template(1, 1, shared), template(2, 2, shared));
        Matcher matcher = new Matcher(CALIBRATION, twins, templates);

        Identification result = matcher.identify(photoOf(shared, NOISE)).orElseThrow();
        assertEquals(result.best().distance(), result.secondDistance());
        assertEquals(Recognition.UNCERTAIN, result.best().decision());
        assertEquals(1, result.best().personId(), "ties go to the lower id, deterministically");
        assertEquals(Recognition.ACCEPT, matcher.verify(photoOf(shared, NOISE), 2).decision(), "a 1:1 claim has no runner-up");
    }

    @Test
    void aNearTieNeedsTheMinimumGap() {
        Embedding a = randomUnit();
        Embedding b = photoOf(a, 0.5 / Math.sqrt(DIM)); // a look-alike: both within the accept distance of a probe between them
        List<Person> people = List.of(person(1, true), person(2, true));
        List<Template> templates = List.of(template(1, 1, a), template(2, 2, b));
        Embedding probe = between(a, b, 0.4);
        double gap = probe.distance(b) - probe.distance(a);
        assertTrue(gap > 0 && probe.distance(b) < CALIBRATION.acceptDistance(), "setup: gap " + gap);

        Identification lenient = new Matcher(CALIBRATION, people, templates, 0.0).identify(probe).orElseThrow();
        assertEquals(1, lenient.best().personId());
        assertEquals(Recognition.ACCEPT, lenient.best().decision());
        assertEquals(gap, lenient.gap(), 1e-5);

        Matcher strict = new Matcher(CALIBRATION, people, templates, gap * 2);
        Identification refused = strict.identify(probe).orElseThrow();
        assertEquals(1, refused.best().personId());
        assertEquals(Recognition.UNCERTAIN, refused.best().decision());

        Matcher justEnough = new Matcher(CALIBRATION, people, templates, gap * 0.9);
        assertEquals(Recognition.ACCEPT, justEnough.identify(probe).orElseThrow().best().decision());
    }

    @Test
    void neverIdentifiesADisabledPerson() {
        Synthetic enrolled = enrol(5, 2);
        List<Person> people = new ArrayList<>(enrolled.people());
        people.set(2, person(3, false));
        Matcher matcher = new Matcher(CALIBRATION, people, enrolled.templates());
        assertEquals(8, matcher.size());

        Embedding probe = photoOf(enrolled.faces().get(2), NOISE);
        Match best = matcher.identify(probe).orElseThrow().best();
        assertTrue(best.personId() != 3);
        assertEquals(Recognition.STRANGER, best.decision());

        Match claim = matcher.verify(probe, 3);
        assertEquals(Double.POSITIVE_INFINITY, claim.distance());
        assertEquals(0.0, claim.probability());
        assertEquals(Recognition.STRANGER, claim.decision());

        Matcher onlyDisabled = new Matcher(CALIBRATION, List.of(person(3, false)),
                enrolled.templates().stream().filter(t -> t.personId() == 3).toList());
        assertTrue(onlyDisabled.identify(probe).isEmpty());
    }

    @Test
    void anEmptyGalleryIdentifiesNobody() {
        Matcher empty = new Matcher(CALIBRATION, List.of(), List.of());
        assertEquals(0, empty.size());
        assertEquals(-1, empty.dimension());
        assertEquals(Optional.empty(), empty.identify(randomUnit()));
        assertThrows(NoSuchElementException.class, () -> empty.verify(randomUnit(), 1));

        Matcher noTemplates = new Matcher(CALIBRATION, List.of(person(1, true)), List.of());
        assertTrue(noTemplates.identify(randomUnit()).isEmpty());
        assertEquals(Recognition.STRANGER, noTemplates.verify(randomUnit(), 1).decision());
    }

    @Test
    void refusesProbesAndTemplatesThatDoNotFit() {
        Synthetic gallery = enrol(2, 1);
        Matcher matcher = new Matcher(CALIBRATION, gallery.people(), gallery.templates());
        float[] short64 = new float[64];
        short64[0] = 1;
        IllegalArgumentException dimension = assertThrows(IllegalArgumentException.class,
                () -> matcher.identify(new Embedding(short64)));
        assertTrue(dimension.getMessage().contains("64 values") && dimension.getMessage().contains("have 128"), dimension.getMessage());
        IllegalArgumentException encoder = assertThrows(IllegalArgumentException.class,
                () -> matcher.identify(randomUnit(), "mobilefacenet-192"));
        assertTrue(encoder.getMessage().contains("mobilefacenet-192") && encoder.getMessage().contains(ENCODER), encoder.getMessage());
        assertThrows(IllegalArgumentException.class, () -> matcher.verify(randomUnit(), "other", 1));
        assertEquals(1, matcher.verify(photoOf(gallery.faces().get(0), NOISE), ENCODER, 1).personId());
        float[] nan = randomUnit().toArray();
        nan[5] = Float.NaN;
        assertThrows(IllegalArgumentException.class, () -> matcher.identify(new Embedding(nan)));

        Template foreign = new Template(9, 1, randomUnit(), "other-encoder", "%064x".formatted(9), 0.9, T0);
        assertThrows(IllegalArgumentException.class,
                () -> new Matcher(CALIBRATION, gallery.people(), List.of(gallery.templates().get(0), foreign)));
        assertThrows(IllegalArgumentException.class,
                () -> new Matcher(CALIBRATION, gallery.people(), List.of(template(9, 77, randomUnit()))));
        assertThrows(IllegalArgumentException.class,
                () -> new Matcher(CALIBRATION, gallery.people(), gallery.templates(), -0.1));
    }

    @Test
    void searchesTenThousandTemplates() {
        Synthetic gallery = enrol(2000, 5);
        Matcher matcher = new Matcher(CALIBRATION, gallery.people(), gallery.templates(), 0.05);
        assertEquals(10_000, matcher.size());
        for (int p = 1; p <= 2000; p += 97) {
            Identification result = matcher.identify(photoOf(gallery.faces().get(p - 1), NOISE)).orElseThrow();
            assertEquals(p, result.best().personId());
            assertEquals(Recognition.ACCEPT, result.best().decision());
        }
    }

    @Test
    void buildsFromARealGallery(@TempDir Path dir) {
        Embedding alice = randomUnit();
        Embedding bob = randomUnit();
        try (Gallery gallery = Gallery.open(dir)) {
            long aliceId = gallery.addPerson("Alice").id();
            long bobId = gallery.addPerson("Bob").id();
            long carolId = gallery.addPerson("Carol").id();
            for (int k = 0; k < 3; k++) {
                gallery.addTemplate(aliceId, photoOf(alice, NOISE), ENCODER, sha(k), 0.9);
                gallery.addTemplate(bobId, photoOf(bob, NOISE), ENCODER, sha(10 + k), 0.9);
            }
            float[] other = new float[192];
            other[0] = 1;
            gallery.addTemplate(carolId, new Embedding(other), "mobilefacenet-192", sha(20), 0.9);

            Matcher matcher = Matcher.fromGallery(gallery, CALIBRATION, 0.05);
            assertEquals(6, matcher.size(), "templates of other encoders are left out");
            Match found = matcher.identify(photoOf(bob, NOISE), ENCODER).orElseThrow().best();
            assertEquals("Bob", found.name());
            assertTrue(found.accepted());
            assertEquals(Recognition.STRANGER, matcher.verify(photoOf(alice, NOISE), carolId).decision());

            gallery.setEnabled(bobId, false);
            Match afterDisable = Matcher.fromGallery(gallery, CALIBRATION, 0.05).identify(photoOf(bob, NOISE)).orElseThrow().best();
            assertEquals("Alice", afterDisable.name());
            assertFalse(afterDisable.accepted());
        }
    }

    private static String sha(int n) {
        byte[] bytes = new byte[32];
        bytes[31] = (byte) n;
        return HexFormat.of().formatHex(bytes);
    }
}
