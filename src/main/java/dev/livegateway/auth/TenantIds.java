package dev.livegateway.auth;

import java.util.regex.Pattern;

/** The shape of tenant ids: they appear in store keys, metrics labels and logs. */
final class TenantIds {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private TenantIds() {}

    static String check(String id, String where) {
        if (id == null || !VALID.matcher(id).matches()) {
            throw new IllegalArgumentException(where + ": tenant id '" + id + "' is invalid; use 1 to 64 letters, "
                    + "digits, '.', '_' or '-', starting with a letter or digit");
        }
        return id;
    }
}
