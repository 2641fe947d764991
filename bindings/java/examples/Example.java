import java.time.Duration;

import im.zego.token.Decoded;
import im.zego.token.RoomPayload;
import im.zego.token.ServerSecret;
import im.zego.token.Token04;
import im.zego.token.TokenException;
import im.zego.token.TokenRejectedException;
import im.zego.token.Validation;

public class Example {
    public static void main(String[] args) throws TokenException {
        try (ServerSecret secret = ServerSecret.of("fa94dd0f974cf2e293728a526b028271")) {
            String token = Token04.builder(1234567890L, "user-42")
                    .lifetime(Duration.ofHours(1))
                    .room(RoomPayload.forRoom("room-1").allowPublish().stream("s1"))
                    .generate(secret).token();
            Decoded d = secret.verify(token,
                    Validation.forApp(1234567890L).userId("user-42").roomId("room-1"));
            System.out.println(d.userId() + " may join " + d.roomPrivileges().get().roomId());
            try {
                secret.verify(token, Validation.forApp(1234567890L).streamId("s2"));
            } catch (TokenRejectedException e) {
                System.out.println(e.kind() + " (" + e.zegoCode().getAsInt() + "): " + e.advice());
            }
        }
    }
}
