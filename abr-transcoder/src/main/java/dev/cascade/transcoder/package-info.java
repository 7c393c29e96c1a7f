/** Supervised ffmpeg processes that make a stream's renditions: the commands (Opus audio, ABR ladder), the supervisor, the progress reader. */
package dev.cascade.transcoder;
