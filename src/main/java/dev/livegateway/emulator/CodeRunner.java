package dev.livegateway.emulator;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The code-execution tool of the scripted model: recognises a few kinds of computing requests,
 * writes the Python a model would write for them, and computes the real answer in Java.
 */
public final class CodeRunner {

    /** Python code, its printed output, and the sentence the model says about it. */
    public record Execution(String code, String output, String answer) {}

    private static final Pattern PRIME_PALINDROME =
            Pattern.compile("largest prime palindrome (?:under|below|less than|smaller than) ([\\d,_]+)");
    private static final Pattern SUM_OF_PRIMES = Pattern.compile("sum of the first ([\\d,_]+) primes?");
    private static final Pattern FIBONACCI = Pattern.compile("(\\d+)(?:st|nd|rd|th)? fibonacci number");
    private static final Pattern FACTORIAL = Pattern.compile("factorial of (\\d+)|(\\d+) factorial");
    private static final Pattern ARITHMETIC = Pattern.compile("(?:compute|calculate|evaluate|what is)\\s+([-+*/().\\d\\s^]+)");

    private CodeRunner() {}

    /** The execution for a request, or empty when it is not a computation this runner knows. */
    public static Optional<Execution> forRequest(String request) {
        String text = request.toLowerCase(Locale.ROOT);
        Matcher m = PRIME_PALINDROME.matcher(text);
        if (m.find()) {
            long limit = number(m.group(1));
            long answer = largestPrimePalindromeBelow(limit);
            String code = """
                    def is_prime(n):
                        if n < 2:
                            return False
                        i = 2
                        while i * i <= n:
                            if n %% i == 0:
                                return False
                            i += 1
                        return True


                    def is_palindrome(n):
                        return str(n) == str(n)[::-1]


                    largest = next(n for n in range(%d - 1, 1, -1) if is_palindrome(n) and is_prime(n))
                    print(largest)
                    """.formatted(limit);
            return Optional.of(new Execution(code, answer + "\n",
                    "The largest prime palindrome under " + limit + " is " + answer + "."));
        }
        m = SUM_OF_PRIMES.matcher(text);
        if (m.find()) {
            long n = number(m.group(1));
            long sum = 0;
            long found = 0;
            for (long k = 2; found < n; k++) {
                if (isPrime(k)) {
                    sum += k;
                    found++;
                }
            }
            String code = """
                    primes = []
                    k = 2
                    while len(primes) < %d:
                        if all(k %% p != 0 for p in primes if p * p <= k):
                            primes.append(k)
                        k += 1
                    print(sum(primes))
                    """.formatted(n);
            return Optional.of(new Execution(code, sum + "\n", "The sum of the first " + n + " primes is " + sum + "."));
        }
        m = FIBONACCI.matcher(text);
        if (m.find()) {
            int n = Integer.parseInt(m.group(1));
            java.math.BigInteger a = java.math.BigInteger.ZERO;
            java.math.BigInteger b = java.math.BigInteger.ONE;
            for (int i = 0; i < n; i++) {
                java.math.BigInteger t = a.add(b);
                a = b;
                b = t;
            }
            String code = """
                    a, b = 0, 1
                    for _ in range(%d):
                        a, b = b, a + b
                    print(a)
                    """.formatted(n);
            return Optional.of(new Execution(code, a + "\n", "Fibonacci number " + n + " is " + a + "."));
        }
        m = FACTORIAL.matcher(text);
        if (m.find()) {
            int n = Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(2));
            java.math.BigInteger f = java.math.BigInteger.ONE;
            for (int i = 2; i <= n; i++) {
                f = f.multiply(java.math.BigInteger.valueOf(i));
            }
            String code = "import math\nprint(math.factorial(%d))\n".formatted(n);
            return Optional.of(new Execution(code, f + "\n", n + " factorial is " + f + "."));
        }
        m = ARITHMETIC.matcher(text);
        if (m.find() && m.group(1).matches(".*\\d.*[-+*/^].*\\d.*")) {
            String expression = m.group(1).strip().replaceAll("[.\\s]+$", "");
            try {
                String result = format(new Arithmetic(expression).parse());
                String code = "print(" + expression.replace("^", "**") + ")\n";
                return Optional.of(new Execution(code, result + "\n", expression + " = " + result + "."));
            } catch (IllegalArgumentException notArithmetic) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    static long largestPrimePalindromeBelow(long limit) {
        for (long n = limit - 1; n > 1; n--) {
            String s = Long.toString(n);
            if (new StringBuilder(s).reverse().toString().equals(s) && isPrime(n)) {
                return n;
            }
        }
        return -1;
    }

    static boolean isPrime(long n) {
        if (n < 2) {
            return false;
        }
        for (long i = 2; i * i <= n; i++) {
            if (n % i == 0) {
                return false;
            }
        }
        return true;
    }

    private static long number(String digits) {
        return Long.parseLong(digits.replaceAll("[,_]", ""));
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** A recursive-descent evaluator for + - * / ^ and parentheses. */
    private static final class Arithmetic {
        private final String s;
        private int pos;

        Arithmetic(String s) {
            this.s = s.replaceAll("\\s+", "");
        }

        double parse() {
            double v = sum();
            if (pos != s.length()) {
                throw new IllegalArgumentException("unexpected '" + s.charAt(pos) + "'");
            }
            return v;
        }

        private double sum() {
            double v = product();
            while (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                char op = s.charAt(pos++);
                double r = product();
                v = op == '+' ? v + r : v - r;
            }
            return v;
        }

        private double product() {
            double v = power();
            while (pos < s.length() && (s.charAt(pos) == '*' || s.charAt(pos) == '/')) {
                char op = s.charAt(pos++);
                double r = power();
                v = op == '*' ? v * r : v / r;
            }
            return v;
        }

        private double power() {
            double base = unary();
            if (pos < s.length() && s.charAt(pos) == '^') {
                pos++;
                return Math.pow(base, power());
            }
            return base;
        }

        private double unary() {
            if (pos < s.length() && s.charAt(pos) == '-') {
                pos++;
                return -unary();
            }
            if (pos < s.length() && s.charAt(pos) == '(') {
                pos++;
                double v = sum();
                if (pos >= s.length() || s.charAt(pos) != ')') {
                    throw new IllegalArgumentException("missing ')'");
                }
                pos++;
                return v;
            }
            int start = pos;
            while (pos < s.length() && (Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '.')) {
                pos++;
            }
            if (start == pos) {
                throw new IllegalArgumentException("number expected at " + pos);
            }
            return Double.parseDouble(s.substring(start, pos));
        }
    }
}
