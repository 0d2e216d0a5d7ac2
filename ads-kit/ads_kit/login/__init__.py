"""Sign-in (`ads-login`): the loopback redirect, the token store and the `token_store`
setting the taps read their credentials through."""
