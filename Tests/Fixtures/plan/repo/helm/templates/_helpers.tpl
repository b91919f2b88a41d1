{{- define "sebastian.fullname" -}}{{ .Release.Name }}-sebastian{{- end -}}
