// Ask a zego-token service for a ZEGO token04, as an app's backend does before handing
// the token to its client. JDK 17, java.net.http only; run as a single source file:
//
//   TOKEN_SERVICE_URL=http://127.0.0.1:8080 TOKEN_SERVICE_API_KEY=... java TokenClient.java USER_ID [ROOM_ID]
//
// Prints the service's JSON answer on stdout. 429 is retried after Retry-After, 408,
// 5xx and network errors after a short backoff (3 attempts in all); any other refusal
// is final: exit 1 with the service's status, code and message on stderr.
//
// The JDK has no JSON parser: the request is built with a string escaper and the
// service's answer is passed on as it came. Use your JSON library (Jackson, Gson) to
// read fields in an app; errorField() below reads the error envelope's two strings.

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public final class TokenClient {
    private static final Set<Integer> RETRYABLE = Set.of(408, 429, 500, 502, 503, 504);

    /** A refusal of the service: HTTP status, error code, Retry-After seconds (-1: none). */
    public static final class ServiceException extends Exception {
        private static final long serialVersionUID = 1L;
        public final int status;
        public final String code;
        public final long retryAfterSeconds;

        ServiceException(int status, String code, String message, long retryAfterSeconds) {
            super("token service refused: " + status + " " + code + ": " + message);
            this.status = status;
            this.code = code;
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public boolean retryable() {
            return RETRYABLE.contains(status);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI endpoint;
    private final String apiKey;

    public TokenClient(String baseUrl, String apiKey) {
        this.endpoint = URI.create(baseUrl.replaceAll("/+$", "") + "/v1/token");
        this.apiKey = apiKey;
    }

    /** POST /v1/token for userId (a privilege token when roomId is not null); the answer's JSON. */
    public String fetchToken(String userId, String roomId) throws ServiceException, IOException, InterruptedException {
        String body = "{\"user_id\":" + jsonString(userId)
                + (roomId == null ? "" : ",\"room_id\":" + jsonString(roomId)) + "}";
        long backoffSeconds = 1;
        for (int attempt = 1; ; attempt++) {
            long wait = backoffSeconds;
            try {
                return once(body);
            } catch (ServiceException e) {
                if (!e.retryable() || attempt >= 3) {
                    throw e;
                }
                if (e.retryAfterSeconds >= 0) {
                    wait = e.retryAfterSeconds;
                }
                System.err.println("retrying in " + wait + " s: " + e.getMessage());
            } catch (IOException e) {
                if (attempt >= 3) {
                    throw e;
                }
                System.err.println("retrying in " + wait + " s: token service unreachable: " + e);
            }
            Thread.sleep(wait * 1000);
            backoffSeconds *= 2;
        }
    }

    private String once(String body) throws ServiceException, IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> resp = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() == 200 && resp.body().contains("\"token\":\"04")) {
            return resp.body();
        }
        long retryAfter = resp.headers().firstValue("Retry-After")
                .filter(v -> v.matches("\\d+")).map(Long::parseLong).orElse(-1L);
        String code = errorField(resp.body(), "code");
        String message = errorField(resp.body(), "message");
        throw new ServiceException(resp.statusCode(),
                code == null ? "http_" + resp.statusCode() : code,
                message == null ? "unexpected answer" : message, retryAfter);
    }

    /** A string member of the error envelope {"error":{"code":"…","message":"…"}}. */
    static String errorField(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        return m.find() ? m.group(1).replace("\\\"", "\"").replace("\\\\", "\\") : null;
    }

    /** A JSON string literal (RFC 8259 escapes). */
    static String jsonString(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    public static void main(String[] args) throws InterruptedException {
        String url = System.getenv("TOKEN_SERVICE_URL");
        String key = System.getenv("TOKEN_SERVICE_API_KEY");
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: java TokenClient.java USER_ID [ROOM_ID]  (env: TOKEN_SERVICE_URL, TOKEN_SERVICE_API_KEY)");
            System.exit(2);
        }
        if (url == null || url.isEmpty() || key == null || key.isEmpty()) {
            System.err.println("TokenClient: set TOKEN_SERVICE_URL and TOKEN_SERVICE_API_KEY");
            System.exit(2);
        }
        try {
            System.out.println(new TokenClient(url, key).fetchToken(args[0], args.length == 2 ? args[1] : null));
        } catch (ServiceException | IOException e) {
            System.err.println("TokenClient: " + e.getMessage());
            System.exit(1);
        }
    }
}
