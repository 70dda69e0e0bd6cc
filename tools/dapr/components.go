// Components compiled into Symbiont's trimmed daprd (registered as daprd's own
// cmd/daprd/components files do). Only what Symbiont renders: no cloud SDKs.
// Keep it in step with operator/src/dapr (the pub/sub types of the Ecosystem CRD).

package main

import (
	httpBinding "github.com/dapr/components-contrib/bindings/http"
	mdns "github.com/dapr/components-contrib/nameresolution/mdns"
	inmemoryPubsub "github.com/dapr/components-contrib/pubsub/in-memory"
	"github.com/dapr/components-contrib/pubsub/jetstream"
	"github.com/dapr/components-contrib/pubsub/kafka"
	"github.com/dapr/components-contrib/pubsub/rabbitmq"
	"github.com/dapr/components-contrib/pubsub/redis"
	"github.com/dapr/components-contrib/secretstores/local/env"
	"github.com/dapr/components-contrib/secretstores/local/file"
	inmemoryState "github.com/dapr/components-contrib/state/in-memory"
	bindingsLoader "github.com/dapr/dapr/pkg/components/bindings"
	nrLoader "github.com/dapr/dapr/pkg/components/nameresolution"
	pubsubLoader "github.com/dapr/dapr/pkg/components/pubsub"
	secretstoresLoader "github.com/dapr/dapr/pkg/components/secretstores"
	stateLoader "github.com/dapr/dapr/pkg/components/state"
)

func init() {
	pubsubLoader.DefaultRegistry.RegisterComponent(redis.NewRedisStreams, "redis")
	pubsubLoader.DefaultRegistry.RegisterComponent(rabbitmq.NewRabbitMQ, "rabbitmq")
	pubsubLoader.DefaultRegistry.RegisterComponent(jetstream.NewJetStream, "jetstream")
	pubsubLoader.DefaultRegistry.RegisterComponent(kafka.NewKafka, "kafka")
	pubsubLoader.DefaultRegistry.RegisterComponent(inmemoryPubsub.New, "in-memory")
	bindingsLoader.DefaultRegistry.RegisterOutputBinding(httpBinding.NewHTTP, "http")
	secretstoresLoader.DefaultRegistry.RegisterComponent(file.NewLocalSecretStore, "local.file")
	secretstoresLoader.DefaultRegistry.RegisterComponent(env.NewEnvSecretStore, "local.env")
	stateLoader.DefaultRegistry.RegisterComponent(inmemoryState.NewInMemoryStateStore, "in-memory")
	nrLoader.DefaultRegistry.RegisterComponent(mdns.NewResolver, "mdns")
}
