package mux

import (
	"context"
	"maps"
)

type outgoingKey struct{}
type incomingKey struct{}

// WithMetadata returns a context whose calls carry key=value to the server, in the
// InvokeMetadata frame before the Invoke. Later values for a key replace earlier ones.
func WithMetadata(ctx context.Context, key, value string) context.Context {
	md := maps.Clone(outgoing(ctx))
	if md == nil {
		md = make(map[string]string)
	}
	md[key] = value
	return context.WithValue(ctx, outgoingKey{}, md)
}

func outgoing(ctx context.Context) map[string]string {
	md, _ := ctx.Value(outgoingKey{}).(map[string]string)
	return md
}

// IncomingMetadata returns the metadata the client sent with the call a handler serves
// (nil if none). The map is the handler's own.
func IncomingMetadata(ctx context.Context) map[string]string {
	md, _ := ctx.Value(incomingKey{}).(map[string]string)
	return maps.Clone(md)
}

func withIncoming(ctx context.Context, md map[string]string) context.Context {
	if md == nil {
		return ctx
	}
	return context.WithValue(ctx, incomingKey{}, md)
}
