package io.jenkins.plugins.immutabledeployment.oci;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One challenge of a {@code WWW-Authenticate} header (RFC 9110 section 11.6.1): a scheme and its parameters,
 * e.g. {@code Bearer realm="https://auth.example/token",service="registry",scope="repository:a:pull"}.
 *
 * @param scheme lower case ({@code basic}, {@code bearer})
 * @param parameters names lower case, values unquoted
 */
record AuthChallenge(String scheme, Map<String, String> parameters) {

    String parameter(String name) {
        return parameters.get(name);
    }

    /** All challenges in one header value; junk yields what could be read before it. */
    static List<AuthChallenge> parse(String header) {
        List<AuthChallenge> challenges = new ArrayList<>();
        Scanner scanner = new Scanner(header == null ? "" : header);
        while (true) {
            scanner.skip(" \t,");
            String scheme = scanner.token();
            if (scheme.isEmpty()) {
                return challenges;
            }
            Map<String, String> parameters = new LinkedHashMap<>();
            while (true) {
                scanner.skip(" \t");
                int mark = scanner.position;
                String name = scanner.token();
                scanner.skip(" \t");
                if (name.isEmpty() || !scanner.take('=')) {
                    scanner.position = mark; // the start of the next challenge (or junk)
                    break;
                }
                scanner.skip(" \t");
                parameters.put(name.toLowerCase(Locale.ROOT), scanner.value());
                scanner.skip(" \t");
                if (!scanner.take(',')) {
                    break;
                }
            }
            challenges.add(new AuthChallenge(scheme.toLowerCase(Locale.ROOT), parameters));
        }
    }

    private static final class Scanner {
        private final String text;
        private int position;

        Scanner(String text) {
            this.text = text;
        }

        void skip(String characters) {
            while (position < text.length() && characters.indexOf(text.charAt(position)) >= 0) {
                position++;
            }
        }

        boolean take(char expected) {
            if (position < text.length() && text.charAt(position) == expected) {
                position++;
                return true;
            }
            return false;
        }

        String token() {
            int start = position;
            while (position < text.length() && isTokenChar(text.charAt(position))) {
                position++;
            }
            return text.substring(start, position);
        }

        String value() {
            if (!take('"')) {
                return token();
            }
            StringBuilder value = new StringBuilder();
            while (position < text.length()) {
                char c = text.charAt(position++);
                if (c == '"') {
                    return value.toString();
                }
                if (c == '\\' && position < text.length()) {
                    c = text.charAt(position++);
                }
                value.append(c);
            }
            return value.toString();
        }

        private static boolean isTokenChar(char c) {
            // RFC token characters, plus / and : so that unquoted URLs survive.
            return c > ' ' && c < 127 && "\"(),;<=>?@[\\]{}".indexOf(c) < 0;
        }
    }
}
