package dev.cascade.node.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cascade.transcoder.Ladder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The heartbeat answer's jobs as the stream manager writes them (openapi.yaml TranscodeJob), and what is refused. */
class TranscodeJobTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String LADDER = "[{\"level\":1,\"width\":1280,\"height\":720,\"bitrateKbps\":2500,\"fps\":30},"
            + "{\"level\":2,\"width\":640,\"height\":360,\"bitrateKbps\":400,\"fps\":30}]";

    private static String job(String stream, String source, String ladder) {
        return "{\"stream\":\"" + stream + "\",\"source\":" + source + ",\"ladder\":" + ladder + "}";
    }

    static final String SOURCE = "{\"node\":\"origin-1\",\"host\":\"10.0.0.5\",\"srtPort\":9000}";

    @Test
    void theManagersAnswerBecomesJobs() throws Exception {
        TranscodeJob.Parsed p = TranscodeJob.parse(JSON.readTree("{\"state\":\"INSERVICE\",\"transcodes\":["
                + job("live/a", SOURCE, LADDER) + "]}"));
        assertThat(p.refused()).isEmpty();
        assertThat(p.jobs()).containsExactly(new TranscodeJob("live/a", new TranscodeJob.Source("origin-1", "10.0.0.5", 9000),
                List.of(new Ladder.Level(1, 1280, 720, 2500, 30), new Ladder.Level(2, 640, 360, 400, 30))));
        assertThat(p.jobs().get(0).app()).isEqualTo("live");
        assertThat(p.jobs().get(0).name()).isEqualTo("a");
        // an empty list is an answer (stop everything); no list at all is not one
        assertThat(TranscodeJob.parse(JSON.readTree("{\"state\":\"INSERVICE\",\"transcodes\":[]}")).jobs()).isEmpty();
        assertThat(TranscodeJob.parse(JSON.readTree("{\"state\":\"INSERVICE\"}"))).isNull();
    }

    @Test
    void jobsThatWouldMakeABadCommandAreRefusedAndTheOthersKept() throws Exception {
        String answer = "{\"transcodes\":[" + String.join(",",
                job("live/a,m=publish", SOURCE, LADDER),
                job("live/b", "{\"node\":\"o\",\"host\":\"10.0.0.5&x=1\",\"srtPort\":9000}", LADDER),
                job("live/c", "{\"node\":\"o\",\"host\":\"h\",\"srtPort\":0}", LADDER),
                job("live/d", SOURCE, "[]"),
                job("live/e", SOURCE, LADDER.replace("\"width\":1280", "\"width\":1281")),
                job("live/f", SOURCE, LADDER.replace("\"level\":2", "\"level\":3")),
                job("live/ok", SOURCE, LADDER)) + "]}";
        TranscodeJob.Parsed p = TranscodeJob.parse(JSON.readTree(answer));
        assertThat(p.jobs()).extracting(TranscodeJob::stream).containsExactly("live/ok");
        assertThat(p.refused()).hasSize(6);
        assertThat(p.refused().get(0)).contains("not a stream key");
        assertThat(p.refused().get(1)).contains("live/b: no usable source");
        assertThat(p.refused().get(3)).contains("live/d: an empty ladder");
        assertThat(p.refused().get(4)).contains("1281x720");
        assertThat(p.refused().get(5)).contains("live/f: levels must be 1, 2, 3");
    }
}
