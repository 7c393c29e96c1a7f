/** SRT stream IDs in the access-control syntax ({@code #!::r=live/NAME,m=publish}). */
package dev.cascade.protocol.streamid;
