"""Quality of annotations: agreement between annotators, and each annotator against gold."""
