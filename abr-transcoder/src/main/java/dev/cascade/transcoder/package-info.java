/** Supervised ffmpeg processes that make a stream's renditions. */
package dev.cascade.transcoder;
