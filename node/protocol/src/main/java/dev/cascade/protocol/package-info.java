/** Pure wire-format codecs: no I/O, no dependencies beyond the JDK. */
package dev.cascade.protocol;
