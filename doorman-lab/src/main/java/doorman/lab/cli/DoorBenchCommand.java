package doorman.lab.cli;

import doorman.cli.Doorman;
import doorman.cli.Failures;
import doorman.cli.Output;
import doorman.config.DoormanConfig;
import doorman.lab.bench.DoorBench;
import doorman.lab.bench.DoorFrames;
import doorman.lab.bench.StageTimes;
import doorman.models.ModelFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code doorman bench door}: the daemon's own per-frame path (its DoorLoop, real models, liveness on) on a
 * deterministic door recording made from LFW photos, per frame size and interpreter thread count: each stage and the
 * whole frame (median, p95, p99), frames a second, time to unlock at the camera's rate with the default policy, and
 * this process's resident memory.
 */
@Command(name = "door", mixinStandardHelpOptions = true, description = "Benchmark the door's per-frame path and its time to unlock on a replayed recording.")
final class DoorBenchCommand implements Callable<Integer> {

    @Option(names = "--lfw", defaultValue = "../shared/datasets/lfw-train", description = "LFW folder (one folder per person). Default: ${DEFAULT-VALUE}.")
    Path lfw;

    @Option(names = "--sizes", split = ",", defaultValue = "640x480,1280x720", description = "Frame sizes. Default: ${DEFAULT-VALUE}.")
    List<String> sizes;

    @Option(names = "--threads", split = ",", defaultValue = "1,2", description = "Interpreter threads to try. Default: ${DEFAULT-VALUE}.")
    List<Integer> threads;

    @Option(names = "--visits", defaultValue = "5", description = "Enrolled visitors (as many strangers come between them). Default: ${DEFAULT-VALUE}.")
    int visits;

    @Option(names = "--fps", defaultValue = "10", description = "The camera's rate (the example config's fps-cap). Default: ${DEFAULT-VALUE}.")
    double fps;

    @Option(names = "--write-frames", description = "Only write the recording (first size) as JPEGs and enroll.tsv into this folder.")
    Path writeFrames;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Option(names = "--models", description = "Folder with the model files.")
    Path models;

    @Spec
    CommandSpec spec;

    /** A visitor stands 1.5 s at the door; 2 s of empty doorway between visitors keeps visits apart (cooldown 5 s). */
    static final int VISIT_FRAMES_AT_10_FPS = 15, GAP_FRAMES_AT_10_FPS = 20;

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(lfw)) throw Failures.badInput("no LFW folder at " + lfw + " (pass --lfw)");
        if (visits < 1 || visits > 200) throw Failures.badInput("--visits must be 1-200, got " + visits);
        if (!(fps >= 1 && fps <= 60 && fps == Math.rint(fps))) throw Failures.badInput("--fps must be a whole number 1-60, got " + fps);
        int visitFrames = (int) Math.round(VISIT_FRAMES_AT_10_FPS * fps / 10), gapFrames = (int) Math.round(GAP_FRAMES_AT_10_FPS * fps / 10);
        if (writeFrames != null) {
            int[] wh = size(sizes.get(0));
            DoorFrames.Recording rec = DoorFrames.make(lfw, wh[0], wh[1], visits, visitFrames, gapFrames);
            DoorFrames.write(rec, writeFrames);
            StringBuilder tsv = new StringBuilder();
            for (DoorFrames.Visitor v : rec.visitors()) if (v.enrolled()) tsv.append(v.name()).append('\t').append(v.enrolPhoto().toAbsolutePath()).append('\n');
            Files.writeString(writeFrames.resolve("enroll.tsv"), tsv);
            spec.commandLine().getOut().printf("wrote %d frames of %s and enroll.tsv (%d people) to %s%n", rec.shots().size(),
                    sizes.get(0), visits, writeFrames);
            return Doorman.OK;
        }
        ModelFiles files = models == null ? ModelFiles.locate() : new ModelFiles(models);
        List<DoorBench.Result> results = new ArrayList<>();
        for (String s : sizes) {
            int[] wh = size(s);
            DoorFrames.Recording rec = DoorFrames.make(lfw, wh[0], wh[1], visits, visitFrames, gapFrames);
            for (int t : threads) {
                if (t < 1 || t > 16) throw Failures.badInput("--threads must be 1-16, got " + t);
                Path data = Files.createTempDirectory("doorman-bench-door");
                try {
                    DoormanConfig config = DoormanConfig.parse(String.join("\n",
                            "data-dir: " + data,
                            "camera: {type: v4l2, fps-cap: " + Math.round(fps) + ", width: " + wh[0] + ", height: " + wh[1] + "}",
                            "lock: {type: dry-run}",
                            "http: {enabled: false}",
                            "threads: " + t, ""), "bench door");
                    DoorBench.enroll(config, files, rec);
                    results.add(DoorBench.run(config, files, rec, fps));
                } finally {
                    deleteTree(data);
                }
            }
        }
        print(results);
        return Doorman.OK;
    }

    private static int[] size(String s) {
        String[] p = s.toLowerCase(Locale.ROOT).split("x");
        try {
            int w = Integer.parseInt(p[0].trim()), h = Integer.parseInt(p[1].trim());
            if (p.length != 2 || w < 160 || h < 120 || w > 4096 || h > 4096) throw new NumberFormatException();
            return new int[]{w, h};
        } catch (RuntimeException e) {
            throw Failures.badInput("--sizes wants WIDTHxHEIGHT between 160x120 and 4096x4096, got '" + s + "'");
        }
    }

    private void print(List<DoorBench.Result> results) {
        PrintWriter out = spec.commandLine().getOut();
        StringBuilder human = new StringBuilder();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (DoorBench.Result r : results) {
            human.append(String.format(Locale.ROOT, "%dx%d, %d interpreter thread(s): %d frames (%d with a face), %.1f frames/s"
                            + " through the loop, resident memory %.1f MB (peak %.1f MB)%n", r.width(), r.height(), r.threads(),
                    r.frames(), r.faceFrames(), r.framesPerSecond(), r.rssKb() / 1024.0, r.peakRssKb() / 1024.0));
            human.append(String.format(Locale.ROOT, "  %-28s %7s %9s %9s %9s%n", "stage", "calls", "median ms", "p95 ms", "p99 ms"));
            List<Map<String, Object>> stages = new ArrayList<>();
            for (StageTimes.Summary s : r.stages()) {
                human.append(String.format(Locale.ROOT, "  %-28s %7d %9.2f %9.2f %9.2f%n", s.stage(), s.calls(), s.medianMs(), s.p95Ms(), s.p99Ms()));
                Map<String, Object> st = new LinkedHashMap<>();
                st.put("stage", s.stage());
                st.put("calls", s.calls());
                st.put("medianMs", s.medianMs());
                st.put("p95Ms", s.p95Ms());
                st.put("p99Ms", s.p99Ms());
                st.put("meanMs", s.meanMs());
                stages.add(st);
            }
            DoorBench.Unlocks u = r.unlocks();
            human.append(String.format(Locale.ROOT, "  time to unlock at %.0f fps: %d of %d enrolled visits unlocked, median %.0f ms,"
                            + " max %.0f ms %s; %d pulse(s) for strangers; %d of %d frames decided (the rest replaced by newer ones)%n%n",
                    fps, u.unlocked(), u.visits(), u.medianMs(), u.maxMs(), u.millis().stream().map(m -> String.format(Locale.ROOT, "%.0f", m)).toList(),
                    u.strangerPulses(), u.framesProcessed(), u.framesDelivered()));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("width", r.width());
            row.put("height", r.height());
            row.put("threads", r.threads());
            row.put("frames", r.frames());
            row.put("faceFrames", r.faceFrames());
            row.put("framesPerSecond", r.framesPerSecond());
            row.put("stages", stages);
            Map<String, Object> unlock = new LinkedHashMap<>();
            unlock.put("fps", fps);
            unlock.put("visits", u.visits());
            unlock.put("unlocked", u.unlocked());
            unlock.put("medianMs", u.medianMs());
            unlock.put("maxMs", u.maxMs());
            unlock.put("millis", u.millis());
            unlock.put("strangerPulses", u.strangerPulses());
            unlock.put("framesDecided", u.framesProcessed());
            unlock.put("framesDelivered", u.framesDelivered());
            row.put("timeToUnlock", unlock);
            row.put("rssKb", r.rssKb());
            row.put("peakRssKb", r.peakRssKb());
            rows.add(row);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("runs", rows);
        Output.print(out, json, result, human.toString().stripTrailing());
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
