{{/* The chart name, or nameOverride. */}}
{{- define "symbiont.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The prefix of every resource name: fullnameOverride, else the release name when it already
contains the chart name ("symbiont"), else "<release>-symbiont". 52 characters leave room for
the longest suffix ("-leader-election").
*/}}
{{- define "symbiont.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 47 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 47 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 47 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "symbiont.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels on every resource of the release. */}}
{{- define "symbiont.labels" -}}
helm.sh/chart: {{ include "symbiont.chart" . }}
{{ include "symbiont.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: symbiont
{{- end }}

{{/* Labels that select the operator pods; they never change across upgrades. */}}
{{- define "symbiont.selectorLabels" -}}
app.kubernetes.io/name: {{ include "symbiont.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end }}

{{- define "symbiont.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "symbiont.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name must name an existing ServiceAccount when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "symbiont.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* The bus gateway's image, which the operator gives every Ecosystem that names none. */}}
{{- define "symbiont.gatewayImage" -}}
{{- $image := .Values.gateway.image }}
{{- $name := printf "%s/%s" $image.registry $image.repository }}
{{- if $image.digest }}
{{- printf "%s@%s" $name $image.digest }}
{{- else }}
{{- printf "%s:%s" $name (default .Chart.AppVersion $image.tag) }}
{{- end }}
{{- end }}

{{/* Cross-value rules that a JSON schema cannot say clearly. */}}
{{- define "symbiont.validate" -}}
{{- if and (gt (int .Values.replicaCount) 1) (not .Values.leaderElection.enabled) }}
{{- fail "replicaCount > 1 needs leaderElection.enabled=true: without a leader every replica would reconcile the same objects" }}
{{- end }}
{{- if and .Values.leaderElection.enabled (le (int .Values.leaderElection.leaseDurationSeconds) (int .Values.leaderElection.renewDeadlineSeconds)) }}
{{- fail "leaderElection.leaseDurationSeconds must be greater than leaderElection.renewDeadlineSeconds" }}
{{- end }}
{{- if and .Values.leaderElection.enabled (le (int .Values.leaderElection.renewDeadlineSeconds) (int .Values.leaderElection.retryPeriodSeconds)) }}
{{- fail "leaderElection.renewDeadlineSeconds must be greater than leaderElection.retryPeriodSeconds" }}
{{- end }}
{{- if and .Values.topology.ingress.enabled (not (and .Values.topology.enabled .Values.topology.service.enabled)) }}
{{- fail "topology.ingress.enabled needs topology.enabled=true and topology.service.enabled=true: the Ingress routes to the page's Service" }}
{{- end }}
{{- if and .Values.topology.enabled (eq (int .Values.topology.port) (int .Values.httpPort)) }}
{{- fail "topology.port must differ from httpPort: the page has its own port" }}
{{- end }}
{{- include "symbiont.requireDapr" . }}
{{- end }}

{{/*
The operator writes Dapr's kinds (Component, Subscription, Configuration, Resiliency): on a
cluster that does not serve them, install fails here and says what to do, instead of an
operator that fails on every reconcile. Only when Helm talks to a cluster (install, upgrade,
--dry-run=server): `helm template` and `helm lint` know no cluster's API versions.
*/}}
{{- define "symbiont.requireDapr" -}}
{{- $cluster := lookup "v1" "Namespace" "" "kube-system" }}
{{- if and $cluster .Values.dapr.requireCrds }}
{{- range list "dapr.io/v1alpha1/Component" "dapr.io/v2alpha1/Subscription" "dapr.io/v1alpha1/Configuration" "dapr.io/v1alpha1/Resiliency" }}
{{- if not ($.Capabilities.APIVersions.Has .) }}
{{- fail (printf "this cluster does not serve %s: install Dapr first (its CRDs come with it, https://docs.dapr.io/operations/hosting/kubernetes/kubernetes-deploy/), then install Symbiont; dapr.requireCrds=false skips this check" .) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
