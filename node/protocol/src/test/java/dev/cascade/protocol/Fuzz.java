package dev.cascade.protocol;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Fuzz inputs for the parser properties: uniformly random bytes rarely get past the first check of
 * a parser, so half the inputs are golden vectors with a few random edits (bit flips, byte sets,
 * truncation, extension, a copied range).
 */
public final class Fuzz {
    private Fuzz() {}

    public static Arbitrary<byte[]> bytesAndMutants(List<byte[]> seeds, int maxSize) {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(maxSize);
        Arbitrary<byte[]> mutants = Arbitraries.integers().between(0, seeds.size() - 1)
                .flatMap(i -> Arbitraries.longs().map(seed -> mutate(seeds.get(i), seed)));
        return Arbitraries.oneOf(random, mutants);
    }

    public static byte[] mutate(byte[] in, long seed) {
        Random r = new Random(seed);
        byte[] b = in.clone();
        int edits = 1 + r.nextInt(4);
        for (int e = 0; e < edits; e++) {
            switch (r.nextInt(6)) {
                case 0, 1 -> {
                    if (b.length > 0) {
                        b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                    }
                }
                case 2 -> {
                    if (b.length > 0) {
                        b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                    }
                }
                case 3 -> b = Arrays.copyOf(b, r.nextInt(b.length + 1));
                case 4 -> {
                    byte[] longer = Arrays.copyOf(b, b.length + 1 + r.nextInt(8));
                    for (int i = b.length; i < longer.length; i++) {
                        longer[i] = (byte) r.nextInt(256);
                    }
                    b = longer;
                }
                default -> {
                    if (b.length > 2) {
                        int from = r.nextInt(b.length);
                        int to = r.nextInt(b.length);
                        int n = Math.min(r.nextInt(b.length), Math.min(b.length - from, b.length - to));
                        System.arraycopy(b.clone(), from, b, to, n);
                    }
                }
            }
        }
        return b;
    }
}
