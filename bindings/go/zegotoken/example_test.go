package zegotoken_test

import (
	"errors"
	"fmt"
	"time"

	"example.invalid/zego-token/bindings/go/zegotoken"
)

func Example() {
	secret, err := zegotoken.NewServerSecret("fa94dd0f974cf2e293728a526b028271") // once per app
	if err != nil {
		panic(err)
	}
	defer secret.Close()
	tok, err := secret.Generate(1234567890, "user-42", time.Hour, &zegotoken.GenerateOptions{
		Room: &zegotoken.Room{ID: "room-1", Login: true, Publish: true, Streams: []string{"s1"}},
	})
	if err != nil {
		panic(err)
	}
	d, err := secret.Verify(tok.Token, zegotoken.NewValidation(1234567890).ForUser("user-42").ForStream("s1"))
	if err != nil {
		panic(err)
	}
	fmt.Println(d.UserID, d.Room.RoomID, d.Room.CanPublish)

	_, err = secret.Verify(tok.Token, zegotoken.NewValidation(1234567890).ForRoom("room-2"))
	var zerr *zegotoken.Error
	if errors.As(err, &zerr) {
		fmt.Println(zerr.Kind, zerr.ZegoCode)
	}
	// Output:
	// user-42 room-1 true
	// room_mismatch 1002033
}
