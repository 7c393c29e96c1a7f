package dev.cascade.node.transcode;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cascade.protocol.streamid.StreamId;
import dev.cascade.protocol.streamid.StreamIdParseException;
import dev.cascade.transcoder.Ladder;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One job as the stream manager's heartbeat answer gives it (openapi.yaml, {@code TranscodeJob}):
 * the stream, the origin holding it, and its ladder.
 *
 * <pre>
 * {"transcodes": [{"stream": "live/x", "source": {"node": "origin-1", "host": "10.0.0.5", "srtPort": 9000},
 *                  "ladder": [{"level": 1, "width": 1280, "height": 720, "bitrateKbps": 2500, "fps": 30}, ...]}]}
 * </pre>
 *
 * Everything in it ends up in an ffmpeg command line and SRT URLs, so it is checked before use: the
 * stream key under the SRT stream ID rules, the host as a host name or IP literal, the levels as
 * encodable ({@link Ladder.Level}) and numbered 1, 2, 3...
 */
public record TranscodeJob(String stream, Source source, List<Ladder.Level> ladder) {
    /** The origin the stream is pulled from and its variants published to. */
    public record Source(String node, String host, int srtPort) {}

    /** What an answer said: the jobs that make sense, and why the others were left out. */
    public record Parsed(List<TranscodeJob> jobs, List<String> refused) {}

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:\\[\\]-]{1,253}");
    private static final Pattern NODE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    public TranscodeJob {
        ladder = List.copyOf(ladder);
    }

    public String app() {
        return stream.substring(0, stream.indexOf('/'));
    }

    public String name() {
        return stream.substring(stream.indexOf('/') + 1);
    }

    /** The jobs of a heartbeat answer; null when it has no {@code transcodes} (a manager that assigns none). */
    public static Parsed parse(JsonNode answer) {
        JsonNode list = answer == null ? null : answer.get("transcodes");
        if (list == null || !list.isArray()) {
            return null;
        }
        List<TranscodeJob> jobs = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (JsonNode j : list) {
            try {
                jobs.add(of(j));
            } catch (IllegalArgumentException e) {
                refused.add(e.getMessage());
            }
        }
        return new Parsed(List.copyOf(jobs), List.copyOf(refused));
    }

    static TranscodeJob of(JsonNode j) {
        String stream = j.path("stream").asText("");
        try {
            StreamId.parse("#!::r=" + stream + ",m=request");
        } catch (StreamIdParseException e) {
            throw new IllegalArgumentException("job for '" + abbreviate(stream) + "': not a stream key (" + e.getMessage() + ")");
        }
        JsonNode src = j.path("source");
        String node = src.path("node").asText("");
        String host = src.path("host").asText("");
        int port = src.path("srtPort").asInt(0);
        if (!NODE.matcher(node).matches() || !HOST.matcher(host).matches() || port < 1 || port > 65_535) {
            throw new IllegalArgumentException("job for " + stream + ": no usable source (" + abbreviate(src.toString()) + ")");
        }
        List<Ladder.Level> ladder = new ArrayList<>();
        for (JsonNode l : j.path("ladder")) {
            ladder.add(new Ladder.Level(l.path("level").asInt(), l.path("width").asInt(), l.path("height").asInt(),
                    l.path("bitrateKbps").asInt(), l.path("fps").asInt()));
        }
        if (ladder.isEmpty()) {
            throw new IllegalArgumentException("job for " + stream + ": an empty ladder");
        }
        for (int i = 0; i < ladder.size(); i++) {
            if (ladder.get(i).level() != i + 1) {
                throw new IllegalArgumentException("job for " + stream + ": levels must be 1, 2, 3... in order");
            }
        }
        return new TranscodeJob(stream, new Source(node, host, port), ladder);
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 120) + "...";
    }
}
