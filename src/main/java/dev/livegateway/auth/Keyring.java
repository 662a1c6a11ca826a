package dev.livegateway.auth;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** An immutable set of key hashes and whose they are. */
public final class Keyring {

    /** A hash and its owner. */
    record Entry(byte[] hash, Principal principal, String source) {}

    /** No keys at all. */
    public static final Keyring EMPTY = new Keyring(List.of());

    private final List<Entry> entries;

    private Keyring(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** Builds a keyring; fails when one hash is given to two different principals. */
    static Keyring of(List<Entry> entries) {
        Map<String, Entry> byHash = new HashMap<>();
        for (Entry entry : entries) {
            Entry previous = byHash.putIfAbsent(java.util.HexFormat.of().formatHex(entry.hash()), entry);
            if (previous != null && !previous.principal().equals(entry.principal())) {
                throw new IllegalArgumentException(entry.source() + " repeats the key hash of " + previous.source()
                        + "; one key cannot belong to two tenants, or to a tenant and an admin");
            }
        }
        return new Keyring(entries);
    }

    /** The union of two keyrings (e.g. configuration and tenants file). */
    Keyring plus(Keyring other) {
        List<Entry> all = new ArrayList<>(entries);
        all.addAll(other.entries);
        return of(all);
    }

    /**
     * Whose key this is. Compares the key's hash with every configured hash in constant time and
     * without stopping at a match, so timing reveals neither the key nor where it matched.
     */
    public Optional<Principal> identify(String presentedKey) {
        if (presentedKey == null || presentedKey.isEmpty()) {
            return Optional.empty();
        }
        byte[] digest = KeyHashes.digest(presentedKey);
        Principal found = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(digest, entry.hash()) && found == null) {
                found = entry.principal();
            }
        }
        return Optional.ofNullable(found);
    }

    /** The tenants that have at least one key. */
    public Set<String> tenantIds() {
        Set<String> ids = new TreeSet<>();
        entries.stream().filter(e -> !e.principal().isAdmin()).forEach(e -> ids.add(e.principal().tenant().id()));
        return ids;
    }

    /** Number of admin keys. */
    public long adminKeyCount() {
        return entries.stream().filter(e -> e.principal().isAdmin()).count();
    }
}
