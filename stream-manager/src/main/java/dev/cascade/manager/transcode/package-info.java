/** ABR transcode jobs: which transcoder node runs which stream's ladder (planned purely, assigned on the oldest member). */
package dev.cascade.manager.transcode;
