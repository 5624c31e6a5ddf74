"""Problems (problembild), the statutory lägesbild, the åtgärdsplan, decisions, the
samordningsfunktion and follow-up (lag 2023:196)."""
