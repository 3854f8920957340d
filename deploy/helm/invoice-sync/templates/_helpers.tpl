{{/*
Names, labels and shared pieces. Per-service helpers take a dict: (dict "root" $ "name" $name "app" $app).
*/}}

{{- define "invoice-sync.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "invoice-sync.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "invoice-sync.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Name of one service's objects: <fullname>-<service>, e.g. invoice-sync-device-gateway. */}}
{{- define "invoice-sync.appFullname" -}}
{{- printf "%s-%s" (include "invoice-sync.fullname" .root) .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "invoice-sync.labels" -}}
helm.sh/chart: {{ include "invoice-sync.chart" . }}
app.kubernetes.io/name: {{ include "invoice-sync.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: invoice-sync
{{- end -}}

{{- define "invoice-sync.selectorLabels" -}}
app.kubernetes.io/name: {{ include "invoice-sync.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{- define "invoice-sync.appLabels" -}}
{{ include "invoice-sync.labels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{- define "invoice-sync.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "invoice-sync.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "invoice-sync.secretName" -}}
{{- default (printf "%s-secrets" (include "invoice-sync.fullname" .)) .Values.secret.existingSecret -}}
{{- end -}}

{{/*
The image deploy/docker/Dockerfile builds for one service (--build-arg APP=<service>):
<registry>/<repository>/<service>:<tag>, or @<digest> when apps.<service>.image.digest is set.
*/}}
{{- define "invoice-sync.image" -}}
{{- $image := .root.Values.image -}}
{{- $repository := printf "%s/%s" $image.repository .name -}}
{{- if $image.registry -}}
{{- $repository = printf "%s/%s" $image.registry $repository -}}
{{- end -}}
{{- $digest := "" -}}
{{- with .app.image -}}
{{- $digest = .digest | default "" -}}
{{- end -}}
{{- if $digest -}}
{{- printf "%s@%s" $repository $digest -}}
{{- else -}}
{{- printf "%s:%s" $repository (default .root.Chart.AppVersion $image.tag | toString) -}}
{{- end -}}
{{- end -}}

{{/* The services and the console the chart deploys; the sandbox is a test double and is refused. */}}
{{- define "invoice-sync.checkApp" -}}
{{- if not (has .name (list "device-gateway" "sync" "reconcile" "notifier" "console")) -}}
{{- fail (printf "apps.%s: the chart deploys device-gateway, sync, reconcile, notifier and console only (the sandbox is for tests and demos, never a cluster)" .name) -}}
{{- end -}}
{{- end -}}

{{/* Secret entries of one service: its own secretEnv plus the providers' when it talks to the targets. */}}
{{- define "invoice-sync.secretEnv" -}}
{{- $entries := .app.secretEnv | default list -}}
{{- if .app.providers -}}
{{- $entries = concat $entries (.root.Values.providers.secretEnv | default list) -}}
{{- end -}}
{{- $secretName := include "invoice-sync.secretName" .root -}}
{{- range $entries }}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ $secretName }}
      key: {{ .key | default .name }}
      optional: {{ ternary .optional true (hasKey . "optional") }}
{{- end }}
{{- end -}}
