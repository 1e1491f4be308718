"""ATSPro: resumes and job postings in, structured data, match scores and tailored resumes out."""

__version__ = "0.1.0"
