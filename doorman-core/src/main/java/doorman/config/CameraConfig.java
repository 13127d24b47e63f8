package doorman.config;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.nio.file.Path;
import java.util.List;

/**
 * Where frames come from. {@code v4l2} reads {@code device}; {@code command} runs {@code command} and reads the
 * frames it writes to its standard output; {@code replay} plays the video or image folder at {@code path}.
 */
public record CameraConfig(Type type, String device, List<String> command, Path path, boolean loop, int fpsCap,
                           int width, int height) {

    public enum Type {
        @JsonProperty("v4l2") V4L2,
        @JsonProperty("command") COMMAND,
        @JsonProperty("replay") REPLAY
    }

    public CameraConfig {
        Checks.present("camera.type", type);
        command = command == null ? List.of() : List.copyOf(command);
        Checks.between("camera.fps-cap", fpsCap, 1, 60);
        Checks.between("camera.width", width, 160, 4096);
        Checks.between("camera.height", height, 120, 4096);
        switch (type) {
            case V4L2 -> Checks.present("camera.device (needed by camera.type: v4l2)", device);
            case COMMAND -> {
                if (command.isEmpty())
                    throw new IllegalArgumentException("camera.command must list the program and its arguments when camera.type is command");
            }
            case REPLAY -> Checks.present("camera.path (needed by camera.type: replay)", path);
        }
    }

    public static CameraConfig defaults() {
        return new CameraConfig(Type.V4L2, "/dev/video0", List.of(), null, false, 10, 640, 480);
    }

    CameraConfig resolvedAgainst(Path base) {
        return new CameraConfig(type, device, command, Checks.resolve(base, path), loop, fpsCap, width, height);
    }

    /** What the camera is, for the start-up line: e.g. "v4l2 /dev/video0 640x480, at most 10 fps". */
    public String describe() {
        String what = switch (type) {
            case V4L2 -> "v4l2 " + device + " " + width + "x" + height;
            case COMMAND -> "command " + String.join(" ", command);
            case REPLAY -> "replay " + path + (loop ? " (looping)" : "");
        };
        return what + ", at most " + fpsCap + " fps";
    }
}
