"""The resource rows each skill starts with: (title, address, kind, free).

Titles and addresses come from the skill's "Free:" line, its Resource text and the numbered
sources of seed 000. Curators add, fix or retire them in the admin afterwards.
"""

SKILL_RESOURCES = {
    # Trunk one — foundations
    "Linear algebra": [
        ("3Blue1Brown — Essence of Linear Algebra", "3blue1brown.com", "video", True),
    ],
    "Calculus and gradients": [
        ("3Blue1Brown — Essence of Calculus", "3blue1brown.com", "video", True),
        ("Karpathy's micrograd lecture", "youtube.com/@AndrejKarpathy", "video", True),
    ],
    "Probability and statistics": [
        ("Seeing Theory (Brown University)", "seeing-theory.brown.edu", "course", True),
    ],
    "Python and scientific stack": [
        ("The official Python tutorial", "docs.python.org", "docs", True),
        ("NumPy quickstart", "numpy.org/doc", "docs", True),
    ],
    "Working with data": [
        ("Pandas official user guide", "pandas.pydata.org/docs", "docs", True),
    ],
    "Reading academic papers": [
        (
            "Karpathy — How to read papers (talks and threads)",
            "youtube.com/@AndrejKarpathy",
            "video",
            True,
        ),
        ("Attention Is All You Need (arxiv 1706.03762)", "arxiv.org/abs/1706.03762", "paper", True),
    ],
    # Trunk two — ML fundamentals
    "Regression and classification": [
        ("scikit-learn documentation", "scikit-learn.org", "docs", True),
        ("Stanford CS229 lecture notes", "cs229.stanford.edu", "course", True),
    ],
    "Evaluation and metrics": [
        (
            "Google ML Crash Course",
            "developers.google.com/machine-learning/crash-course",
            "course",
            True,
        ),
    ],
    "Cross-validation and leakage": [
        (
            "scikit-learn cross-validation guide",
            "scikit-learn.org/stable/modules/cross_validation.html",
            "docs",
            True,
        ),
    ],
    "Feature engineering": [
        (
            "Kaggle Learn — Feature Engineering",
            "kaggle.com/learn/feature-engineering",
            "course",
            True,
        ),
    ],
    "Tree-based models in practice": [
        ("XGBoost documentation", "xgboost.readthedocs.io", "docs", True),
        ("CatBoost documentation", "catboost.ai/docs", "docs", True),
    ],
    "Causal thinking": [
        ("Causal Inference: The Mixtape", "mixtape.scunning.com", "book", True),
    ],
    # Trunk three — deep learning
    "Neural network fundamentals": [
        ("Karpathy — Neural Networks: Zero to Hero", "youtube.com/@AndrejKarpathy", "video", True),
    ],
    "Transformers and attention": [
        ("Attention Is All You Need (arxiv 1706.03762)", "arxiv.org/abs/1706.03762", "paper", True),
        ("Karpathy — Let's build GPT (nanoGPT)", "youtube.com/@AndrejKarpathy", "video", True),
    ],
    "Training, optimization, and tricks": [
        ("fast.ai Practical Deep Learning for Coders", "course.fast.ai", "course", True),
    ],
    "Computer vision basics": [
        ("Stanford CS231n course notes", "cs231n.stanford.edu", "course", True),
    ],
    "NLP and language models": [
        ("Hugging Face Course", "huggingface.co/learn/nlp-course", "course", True),
    ],
    "Scaling and efficiency": [
        (
            "Training Compute-Optimal Large Language Models (Chinchilla)",
            "arxiv.org/abs/2203.15556",
            "paper",
            True,
        ),
    ],
    # Trunk four — practical AI engineering
    "Prompting and LLM APIs": [
        (
            "Anthropic prompt engineering docs",
            "docs.anthropic.com/en/docs/build-with-claude/prompt-engineering",
            "docs",
            True,
        ),
        ("OpenAI cookbook", "cookbook.openai.com", "docs", True),
    ],
    "Retrieval-augmented generation (RAG)": [
        ("LangChain docs (concept guides)", "python.langchain.com", "docs", True),
        ("LlamaIndex docs (concept guides)", "docs.llamaindex.ai", "docs", True),
    ],
    "Agents and tool use": [
        (
            "Anthropic — Building effective agents",
            "anthropic.com/research/building-effective-agents",
            "article",
            True,
        ),
    ],
    "Evaluation harnesses": [
        (
            "EleutherAI lm-evaluation-harness",
            "github.com/EleutherAI/lm-evaluation-harness",
            "tool",
            True,
        ),
        ("Hugging Face evaluate library", "huggingface.co/docs/evaluate", "tool", True),
    ],
    "Vector databases and embeddings": [
        ("pgvector", "github.com/pgvector/pgvector", "tool", True),
        ("Sentence-Transformers documentation", "sbert.net", "docs", True),
    ],
    "Deployment and observability": [
        ("vLLM documentation", "docs.vllm.ai", "docs", True),
    ],
    "Cost and latency engineering": [
        ("Anthropic pricing", "anthropic.com/pricing", "docs", True),
        ("OpenAI pricing", "openai.com/pricing", "docs", True),
    ],
    # Trunk five — AI product and strategy
    "Problem selection": [
        ("Y Combinator startup library", "ycombinator.com/library", "article", True),
        ("Paul Graham essays", "paulgraham.com/articles.html", "article", True),
    ],
    "Pricing and packaging": [
        ("First Round Review pricing essays", "review.firstround.com", "article", True),
    ],
    "Positioning": [
        (
            "April Dunford — Obviously Awesome (talks and excerpts)",
            "aprildunford.com",
            "book",
            True,
        ),
    ],
    "Honest evaluation in product context": [
        ("Hamel Husain — AI Evals essays", "hamel.dev", "article", True),
    ],
    "Ethics in product decisions": [
        ("Partnership on AI publications", "partnershiponai.org/publications", "article", True),
        ("DeepMind safety blog", "deepmind.google/discover/blog", "article", True),
    ],
    "Communicating to non-technical stakeholders": [
        ("Distill.pub archive", "distill.pub", "article", True),
        ("Anthropic research blog", "anthropic.com/research", "article", True),
    ],
    # Trunk six — AI safety and interpretability
    "Alignment fundamentals": [
        ("AGI Safety Fundamentals (BlueDot Impact)", "bluedot.org", "course", True),
    ],
    "Red-teaming and adversarial evaluation": [
        ("Anthropic model cards and red-team reports", "anthropic.com", "docs", True),
        ("OpenAI model cards and red-team reports", "openai.com", "docs", True),
    ],
    "Mechanistic interpretability": [
        (
            "Transformer Circuits (Anthropic interpretability research)",
            "transformer-circuits.pub",
            "paper",
            True,
        ),
        ("Neel Nanda — TransformerLens tutorials", "neelnanda.io", "tool", True),
    ],
    "Evals for dangerous capabilities": [
        ("METR evaluations writing", "metr.org", "article", True),
        (
            "Anthropic's Responsible Scaling Policy",
            "anthropic.com/news/anthropics-responsible-scaling-policy",
            "article",
            True,
        ),
    ],
    "Policy and governance literacy": [
        ("AI Index Report (Stanford HAI)", "aiindex.stanford.edu", "article", True),
    ],
    "Open-weight model risk analysis": [
        (
            "NIST AI Risk Management Framework",
            "nist.gov/itl/ai-risk-management-framework",
            "docs",
            True,
        ),
    ],
}
