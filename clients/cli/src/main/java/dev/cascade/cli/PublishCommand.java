package dev.cascade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cascadectl publish live/NAME}: which origin to publish to, and its SRT and WHIP URLs. */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = {"Where to publish a stream: the origin the manager places it on, with the SRT and WHIP URLs.",
                "An origin already holding the stream is answered for it again (a reconnecting publisher returns there)."},
        footerHeading = "%nExamples:%n",
        footer = {"  cascadectl publish live/match1",
                "  cascadectl publish live/match1 --region eu-west",
                "  ffmpeg -re -i in.mp4 -c copy -f mpegts \"$(cascadectl publish live/match1 --srt)\"",
                "  cascadectl publish live/match1 --whip"})
final class PublishCommand extends PlacementCommand {

    @ArgGroup(exclusive = true)
    Only only;

    static final class Only {
        @Option(names = "--srt", description = "Print only the SRT URL.")
        boolean srt;

        @Option(names = "--whip", description = "Print only the WHIP URL.")
        boolean whip;
    }

    @Override
    public Integer call() {
        JsonNode placement = place("publish");
        if (only != null && only.srt) {
            printUrl(placement, "srtUrl");
        } else if (only != null && only.whip) {
            printUrl(placement, "whipUrl");
        } else {
            print(placement, "srtUrl", "whipUrl");
        }
        return 0;
    }
}
